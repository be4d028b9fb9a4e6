/**
 * `dlpipe-scrape jobs`: the job files of --jobs with their schedule, next slot and last run; files
 * that do not check out are listed with every problem (exit status 1 then, for CI).
 *
 *   pnpm scrape jobs --jobs data/scrape/jobs
 */
import { existsSync } from 'node:fs';
import { defineCommand } from '@dlpipe/core';
import { listJobs, nextSlot, type RunInfo, storePath } from '@dlpipe/scrape';
import { table, when } from '../../format.js';
import { checkStorage, jobsFlag, openStore, storageFlag } from '../../storage.js';
import { SUMMARIES } from '../../summaries.js';

interface JobRow {
  file: string;
  name: string | undefined;
  schedule: string | undefined;
  next: Date | undefined;
  last: RunInfo | undefined;
  error: string | undefined;
}

/** The table of the jobs that check out, then every problem of those that do not. */
function jobLines(rows: JobRow[], jobsDir: string): string[] {
  if (rows.length === 0) return [`no job files in ${jobsDir}`];
  const lines: string[] = [];
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
    lines.push(table([head, ...body]));
  }
  for (const r of rows.filter((x) => x.error)) lines.push(`\ninvalid: ${r.error}`);
  return lines;
}

export const jobsCommand = defineCommand({
  summary: SUMMARIES.jobs,
  description: `Lists the jobs in --jobs (*.yaml, *.yml, *.json, *.ts, *.mjs) with their schedule, next slot and last
run, and every problem of the files that do not check out (exit status 1 when there is one).`,
  flags: { jobs: jobsFlag, storage: storageFlag },
  examples: ['pnpm scrape jobs --jobs data/scrape/jobs'],
  json: true,
  async run(o) {
    checkStorage(o.storage);
    const entries = await listJobs(o.jobs);
    const store = existsSync(storePath(o.storage)) ? openStore(o.storage) : undefined;
    try {
      const rows: JobRow[] = [];
      for (const e of entries) {
        const d = e.job?.definition;
        rows.push({
          file: e.file,
          name: d?.name,
          schedule: d?.schedule,
          next: nextSlot(d?.schedule, d?.timezone),
          last: d && store ? await store.runs.latest(d.name) : undefined,
          error: e.error?.message,
        });
      }
      return {
        lines: jobLines(rows, o.jobs),
        data: rows.map((r) => ({ ...r, next: r.next?.toISOString() })),
        exitCode: rows.some((r) => r.error) ? 1 : 0,
      };
    } finally {
      await store?.close();
    }
  },
});
