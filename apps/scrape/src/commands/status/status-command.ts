/**
 * `dlpipe-scrape status [run]`: without a run, the recent runs; with one (an id, or a job name for
 * its newest run), its state, counts from the queue, the dataset size and the most common errors.
 *
 *   pnpm scrape status          pnpm scrape status 3          pnpm scrape status demo-shop --json
 */
import { defineCommand } from '@dlpipe/core';
import { isRunLive, type RunInfo, type SqliteStore } from '@dlpipe/scrape';
import { z } from 'zod';
import { formatDuration, runCounts, table, when } from '../../format.js';
import { findRun, openExistingStore, storageFlag } from '../../storage.js';
import { SUMMARIES } from '../../summaries.js';

/** 'running' for a live run, 'running (stale: process gone)' for a killed one. */
function statusOf(run: RunInfo): string {
  if (run.status !== 'running') return run.status;
  return isRunLive(run, run.job) ? 'running' : 'stale (process gone; `run` resumes it)';
}

/** The newest runs (of `job`): a table for people, the runs as data. */
async function listRuns(store: SqliteStore, job: string | undefined, limit: number) {
  const runs = await store.runs.list({ job, limit });
  if (runs.length === 0) return { lines: [`no runs in ${store.path}`], data: runs };
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
  return { lines: [table([head, ...rows])], data: runs };
}

/** One run in detail: state, queue counts, dataset size and the most common errors. */
async function showRun(store: SqliteStore, ref: string) {
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
  const lines = [
    `run ${run.id} of ${run.job}: ${statusOf(run)} (trigger ${run.trigger}, ${run.sessions} session(s))`,
    `started ${when(run.startedAt)}, ${run.finishedAt ? `finished ${when(run.finishedAt)}` : `last heartbeat ${when(run.heartbeatAt)}`}`,
    `queue: ${counts.done} done, ${counts.failed} failed, ${counts.skipped} skipped, ${counts.pending} pending, ${counts.in_progress} in progress`,
    `dataset: ${records} records, ${images} images; ${runCounts(run).split(' · ')[2]} over ${formatDuration(run.stats.elapsedS)}`,
  ];
  if (run.error) lines.push(`note: ${run.error}`);
  if (top.length)
    lines.push(`errors:\n${top.map(([e, n]) => `  ${String(n).padStart(4)}× ${e}`).join('\n')}`);
  const data = {
    run,
    counts,
    records,
    images,
    failed: failed.slice(0, 20).map((f) => ({ url: f.url, error: f.lastError })),
  };
  return { lines, data };
}

export const statusCommand = defineCommand({
  summary: SUMMARIES.status,
  description: `Without <run>: the newest runs (of --job). With <run> (an id, or a job name for its newest run): its
state, queue counts, dataset size and most common errors.`,
  args: { run: z.string().optional().describe('a run id, or a job name for its newest run') },
  flags: {
    storage: storageFlag,
    job: z.string().optional().meta({ placeholder: 'NAME', description: "only this job's runs" }),
    limit: z.coerce.number().int().positive().default(20).describe('runs to list'),
  },
  examples: ['pnpm scrape status', 'pnpm scrape status 3', 'pnpm scrape status demo-shop --json'],
  json: true,
  async run(o) {
    const store = openExistingStore(o.storage);
    try {
      return o.run ? await showRun(store, o.run) : await listRuns(store, o.job, o.limit);
    } finally {
      await store.close();
    }
  },
});
