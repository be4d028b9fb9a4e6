/**
 * `dlpipe-scrape status [run]`: without a run, the recent runs; with one (an id, or a job name for
 * its newest run), its state, counts from the queue, the dataset size and the most common errors.
 *
 *   pnpm scrape status          pnpm scrape status 3          pnpm scrape status demo-shop --json
 */
import { isRunLive, type RunInfo, type SqliteStore } from '@dlpipe/scrape';
import { z } from 'zod';
import { type Command, defaultStorage, findRun, openStore, parseCommand, STORE_OPTIONS } from '../../args.js';
import { formatDuration, runCounts, table, when } from '../../format.js';

const USAGE = `usage: dlpipe-scrape status [run] [--storage runs/scrape] [--job NAME] [--limit 20] [--json]

Without [run]: the newest runs (of --job). With [run] (an id, or a job name for its newest run): its
state, queue counts, dataset size and most common errors.`;

const schema = z.object({
  storage: z.string().default(defaultStorage()),
  job: z.string().optional(),
  limit: z.coerce.number().int().positive().default(20),
  json: z.boolean().default(false),
});

const OPTIONS = {
  ...STORE_OPTIONS,
  job: { type: 'string' },
  limit: { type: 'string' },
  json: { type: 'boolean' },
} as const;

/** 'running' for a live run, 'running (stale: process gone)' for a killed one. */
function statusOf(run: RunInfo): string {
  if (run.status !== 'running') return run.status;
  return isRunLive(run, run.job) ? 'running' : 'stale (process gone; `run` resumes it)';
}

async function listRuns(store: SqliteStore, o: z.output<typeof schema>): Promise<void> {
  const runs = await store.runs.list({ job: o.job, limit: o.limit });
  if (o.json) return console.log(JSON.stringify(runs));
  if (runs.length === 0) return console.log(`no runs in ${store.path}`);
  const head = [
    'RUN',
    'JOB',
    'STATUS',
    'STARTED',
    'TIME',
    'DONE',
    'FAILED',
    'SKIPPED',
    'PENDING',
    'RECORDS',
    'PAGES/MIN',
  ];
  const rows = runs.map((r) => [
    String(r.id),
    r.job,
    statusOf(r).split(' ')[0]!,
    when(r.startedAt),
    formatDuration(r.stats.elapsedS),
    String(r.stats.done),
    String(r.stats.failed),
    String(r.stats.skipped),
    String(r.stats.pending),
    String(r.stats.records),
    String(Math.round(r.stats.pagesPerMin)),
  ]);
  console.log(table([head, ...rows]));
}

async function showRun(store: SqliteStore, ref: string, json: boolean): Promise<void> {
  const run = await findRun(store, ref);
  const counts = await store.queue(run.id).counts();
  const dataset = store.dataset(run.id);
  const failed = await store.queue(run.id).list('failed', 1000);
  const errors = new Map<string, number>();
  for (const f of failed) {
    const kind = (f.lastError ?? '')
      .replace(/^\S+: /, '')
      .replace(/\d+/g, 'N')
      .slice(0, 120);
    errors.set(kind, (errors.get(kind) ?? 0) + 1);
  }
  const top = [...errors.entries()].sort((a, b) => b[1] - a[1]).slice(0, 5);
  const records = await dataset.count();
  const images = await dataset.imageCount();
  if (json) {
    console.log(
      JSON.stringify({
        run,
        counts,
        records,
        images,
        failed: failed.slice(0, 20).map((f) => ({ url: f.url, error: f.lastError })),
      }),
    );
    return;
  }
  console.log(
    `run ${run.id} of ${run.job}: ${statusOf(run)} (trigger ${run.trigger}, ${run.sessions} session(s))`,
  );
  console.log(
    `started ${when(run.startedAt)}, ${run.finishedAt ? `finished ${when(run.finishedAt)}` : `last heartbeat ${when(run.heartbeatAt)}`}`,
  );
  console.log(
    `queue: ${counts.done} done, ${counts.failed} failed, ${counts.skipped} skipped, ${counts.pending} pending, ${counts.in_progress} in progress`,
  );
  console.log(
    `dataset: ${records} records, ${images} images; ${runCounts(run).split(' · ')[2]} over ${formatDuration(run.stats.elapsedS)}`,
  );
  if (run.error) console.log(`note: ${run.error}`);
  if (top.length)
    console.log(`errors:\n${top.map(([e, n]) => `  ${String(n).padStart(4)}× ${e}`).join('\n')}`);
}

async function main(argv: string[]): Promise<number> {
  const { values: o, positionals } = parseCommand(argv, OPTIONS, schema, USAGE, { min: 0, max: 1 });
  const store = openStore(o.storage);
  try {
    if (positionals[0]) await showRun(store, positionals[0], o.json);
    else await listRuns(store, o);
    return 0;
  } finally {
    await store.close();
  }
}

export const statusCommand: Command = { usage: USAGE, main };
