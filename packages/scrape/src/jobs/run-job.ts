/**
 * Runs a job with run history: resumes the job's unfinished run (killed, or stopped by a signal)
 * from its queue, or starts a new one; refuses to run a job another live process is running;
 * keeps the run's heartbeat and stats current; writes the image manifest at the end.
 *
 *   const store = openSqliteStore(storePath('runs/scrape'));
 *   const r = await runJob(job, { store, storageDir: 'runs/scrape', trigger: 'cli', signal });
 *   r.run.status; r.summary.counts; r.resumed;
 */

import type { CrawlOptions } from '../crawler/crawl-options.js';
import { Crawler, type CrawlLog, type CrawlProgress, type CrawlSummary } from '../crawler/crawler.js';
import { JobBusyError } from '../errors.js';
import { exportRun, runDirOf } from '../export/export-run.js';
import type { RunInfo, RunStats, ScrapeStore } from '../storage/types.js';
import type { Job } from './load-job.js';

/** Options of `runJob`. */
export interface RunJobOptions {
  store: ScrapeStore;
  /** Run directories (images, screenshots, exports) go under it. */
  storageDir: string;
  /** What started the run, kept in its history. Default 'api'. */
  trigger?: string;
  /** Abandon the job's unfinished run and start afresh. Default false (resume it). */
  fresh?: boolean;
  /** Options that win over the job's (CLI flags, benchmarks). */
  overrides?: Partial<CrawlOptions>;
  /** Aborting stops the crawl gracefully (in-flight pages finish, the rest stays queued). */
  signal?: AbortSignal;
  log?: CrawlLog;
  onProgress?: (progress: CrawlProgress, run: RunInfo) => void;
  /** Called once the run is known, before crawling. */
  onStart?: (run: RunInfo, resumed: boolean) => void;
  browser?: { executablePath?: string; headless?: boolean; args?: string[] };
}

export interface JobRunResult {
  run: RunInfo;
  resumed: boolean;
  summary: CrawlSummary;
  runDir: string;
  /** The image manifest, when images were downloaded. */
  manifest: string | undefined;
}

/** A run another process holds: its pid is alive and its heartbeat recent. */
const HEARTBEAT_MS = 5000;
const STALE_MS = 60_000;
/** Jobs running in this process (a run of ours is never stale). */
const runningHere = new Set<string>();

function pidAlive(pid: number | undefined): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** True when a 'running' run is really running (here, or in a live process with a recent heartbeat). */
export function isRunLive(run: RunInfo, jobName: string, now = Date.now()): boolean {
  if (run.status !== 'running') return false;
  if (run.pid === process.pid) return runningHere.has(jobName);
  return pidAlive(run.pid) && now - (run.heartbeatAt ?? 0) < STALE_MS;
}

async function openRun(job: Job, o: RunJobOptions): Promise<{ run: RunInfo; resumed: boolean }> {
  const name = job.definition.name;
  const runs = o.store.runs;
  const last = await runs.latest(name);
  if (last && isRunLive(last, name)) {
    throw new JobBusyError(
      `job '${name}' is already running as run ${last.id} (pid ${last.pid}); wait for it, or stop it with \`kill -TERM ${last.pid}\``,
    );
  }
  const unfinished = last && (last.status === 'running' || last.status === 'interrupted');
  if (unfinished && !o.fresh) {
    if (last.configHash && last.configHash !== job.configHash) {
      o.log?.(
        'warn',
        `job '${name}' changed since run ${last.id} started; resuming it with the new definition (use --fresh to start over)`,
      );
    }
    await runs.update(last.id, {
      status: 'running',
      pid: process.pid,
      heartbeatAt: Date.now(),
      error: undefined,
      sessions: last.sessions + 1,
    });
    return { run: (await runs.get(last.id))!, resumed: true };
  }
  if (unfinished)
    await runs.update(last.id, {
      status: 'abandoned',
      finishedAt: Date.now(),
      error: 'abandoned by --fresh',
    });
  return {
    run: await runs.create({ job: name, trigger: o.trigger ?? 'api', configHash: job.configHash }),
    resumed: false,
  };
}

function statsOf(
  before: RunStats,
  p: Pick<CrawlProgress, 'counts' | 'session'>,
  records: number,
  images: number,
): RunStats {
  const elapsedS = before.elapsedS + p.session.elapsedS;
  const handled = p.counts.done + p.counts.failed + p.counts.skipped;
  return {
    done: p.counts.done,
    failed: p.counts.failed,
    skipped: p.counts.skipped,
    pending: p.counts.pending + p.counts.in_progress,
    records,
    images,
    retries: before.retries + p.session.retries,
    elapsedS,
    pagesPerMin: elapsedS > 0 ? (handled / elapsedS) * 60 : 0,
  };
}

export async function runJob(job: Job, o: RunJobOptions): Promise<JobRunResult> {
  const name = job.definition.name;
  if (runningHere.has(name)) throw new JobBusyError(`job '${name}' is already running in this process`);
  runningHere.add(name);
  try {
    const { run, resumed } = await openRun(job, o);
    const runDir = runDirOf(o.storageDir, name, run.id);
    o.onStart?.(run, resumed);
    const { name: _n, description: _d, schedule: _s, timezone: _t, missed: _m, ...crawl } = job.definition;
    const dataset = o.store.dataset(run.id);
    let lastBeat: number | undefined;
    const crawler = new Crawler({
      ...crawl,
      ...o.overrides,
      queue: o.store.queue(run.id),
      dataset,
      outDir: runDir,
      browser: o.browser,
      log: o.log,
      onProgress: (p) => {
        o.onProgress?.(p, run);
        const now = Date.now();
        if (now - (lastBeat ?? 0) < HEARTBEAT_MS) return;
        lastBeat = now;
        void o.store.runs.update(run.id, {
          heartbeatAt: now,
          stats: statsOf(
            run.stats,
            p,
            run.stats.records + p.session.records,
            run.stats.images + p.session.images,
          ),
        });
      },
    });
    const onAbort = () => crawler.stop();
    if (o.signal?.aborted) crawler.stop();
    o.signal?.addEventListener('abort', onAbort);
    let summary: CrawlSummary;
    try {
      summary = await crawler.run();
    } catch (err) {
      await o.store.runs.update(run.id, {
        status: 'failed',
        finishedAt: Date.now(),
        error: (err as Error).message,
      });
      throw err;
    } finally {
      o.signal?.removeEventListener('abort', onAbort);
    }
    const stats = statsOf(run.stats, summary, summary.records, summary.images);
    const status = summary.status === 'interrupted' ? 'interrupted' : 'finished';
    const error = status === 'interrupted' ? 'stopped by a signal; run the job again to resume' : undefined;
    await o.store.runs.update(run.id, {
      status,
      stats,
      error,
      finishedAt: status === 'finished' ? Date.now() : undefined,
      heartbeatAt: Date.now(),
    });
    let manifest: string | undefined;
    if (summary.images > 0)
      manifest = (
        await exportRun(o.store, run.id, { format: 'jsonl', storageDir: o.storageDir, what: 'images' })
      ).path;
    return { run: (await o.store.runs.get(run.id))!, resumed, summary, runDir, manifest };
  } finally {
    runningHere.delete(name);
  }
}
