/**
 * `dlpipe-scrape jobs`: the job files of --jobs with their schedule, next slot and last run; files
 * that do not check out are listed with every problem (exit status 1 then, for CI).
 *
 *   pnpm scrape jobs --jobs data/scrape/jobs
 */
import { existsSync } from 'node:fs';
import { listJobs, nextSlot, type RunInfo, storePath } from '@dlpipe/scrape';
import { z } from 'zod';
import {
  type Command,
  defaultJobs,
  defaultStorage,
  openStore,
  parseCommand,
  STORE_OPTIONS,
} from '../../args.js';
import { table, when } from '../../format.js';

const USAGE = `usage: dlpipe-scrape jobs [--jobs jobs] [--storage runs/scrape] [--json]

Lists the jobs in --jobs (*.yaml, *.yml, *.json, *.ts, *.mjs) with their schedule, next slot and last
run, and every problem of the files that do not check out (exit status 1 when there is one).`;

const schema = z.object({
  storage: z.string().default(defaultStorage()),
  jobs: z.string().default(defaultJobs()),
  json: z.boolean().default(false),
});

async function main(argv: string[]): Promise<number> {
  const { values: o } = parseCommand(argv, { ...STORE_OPTIONS, json: { type: 'boolean' } }, schema, USAGE, {
    min: 0,
    max: 0,
  });
  const entries = await listJobs(o.jobs);
  const store = existsSync(storePath(o.storage)) ? openStore(o.storage) : undefined;
  try {
    const rows = [];
    for (const e of entries) {
      const d = e.job?.definition;
      const last: RunInfo | undefined = d && store ? await store.runs.latest(d.name) : undefined;
      rows.push({
        file: e.file,
        name: d?.name,
        schedule: d?.schedule,
        next: nextSlot(d?.schedule, d?.timezone),
        last,
        error: e.error?.message,
      });
    }
    if (o.json) {
      console.log(JSON.stringify(rows.map((r) => ({ ...r, next: r.next?.toISOString() }))));
    } else if (rows.length === 0) {
      console.log(`no job files in ${o.jobs}`);
    } else {
      const ok = rows.filter((r) => !r.error);
      if (ok.length) {
        const head = ['NAME', 'SCHEDULE', 'NEXT SLOT', 'LAST RUN', 'FILE'];
        const body = ok.map((r) => [
          r.name ?? '',
          r.schedule ?? '(manual)',
          r.next ? when(r.next.getTime()) : '-',
          r.last ? `${r.last.id} ${r.last.status} ${when(r.last.startedAt)}` : '-',
          r.file,
        ]);
        console.log(table([head, ...body]));
      }
      for (const r of rows.filter((x) => x.error)) console.log(`\ninvalid: ${r.error}`);
    }
    return rows.some((r) => r.error) ? 1 : 0;
  } finally {
    await store?.close();
  }
}

export const jobsCommand: Command = { usage: USAGE, main };
