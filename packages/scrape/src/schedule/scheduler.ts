/**
 * The scheduler daemon: runs each scheduled job at its cron slots (croner), never two runs of one
 * job at once (a slot that comes while the job runs, here or in another process, is skipped and
 * logged), catches up missed slots by the job's `missed` policy (see missed-runs.ts), and on
 * `stop()` lets running crawls finish their in-flight pages and keeps their queues for the next
 * start, which resumes them.
 *
 *   const scheduler = new Scheduler({ jobs, store, storageDir: 'runs/scrape', log: console.error });
 *   await scheduler.start();
 *   process.once('SIGTERM', () => scheduler.stop());
 *   await scheduler.stopped;
 */

import { DlpipeError } from '@dlpipe/core';
import { Cron } from 'croner';
import type { CrawlProgress } from '../crawler/crawler.js';
import { JobBusyError } from '../errors.js';
import type { Job } from '../jobs/load-job.js';
import { isRunLive, type JobRunResult, runJob } from '../jobs/run-job.js';
import type { RunInfo, ScrapeStore } from '../storage/types.js';
import { catchUpDue, missedSlots } from './missed-runs.js';

/** Options of `Scheduler`. */
export interface SchedulerOptions {
  /** Jobs; those without `schedule` are ignored. */
  jobs: readonly Job[];
  store: ScrapeStore;
  storageDir: string;
  /** One line per event (started, finished, skipped, missed). */
  log?: (line: string) => void;
  /** How often the daemon records that it is up, ms. Default 30,000. */
  heartbeatMs?: number;
  browser?: { executablePath?: string; headless?: boolean; args?: string[] };
  onProgress?: (job: string, progress: CrawlProgress, run: RunInfo) => void;
  /** Called when a run ends (tests, notifications). */
  onRunEnd?: (job: string, result: JobRunResult | Error) => void;
}

export class Scheduler {
  private readonly crons: Cron[] = [];
  private readonly running = new Map<string, { promise: Promise<void>; abort: AbortController }>();
  private heartbeat: NodeJS.Timeout | undefined;
  private stopping: Promise<void> | undefined;
  private resolveStopped!: () => void;
  /** Resolves once `stop()` has finished. */
  readonly stopped = new Promise<void>((r) => {
    this.resolveStopped = r;
  });
  readonly scheduled: readonly Job[];

  constructor(private readonly options: SchedulerOptions) {
    this.scheduled = options.jobs.filter((j) => j.definition.schedule !== undefined);
  }

  private log(line: string): void {
    this.options.log?.(line);
  }

  /** Catches up missed slots, resumes interrupted runs, then waits for the cron slots. */
  async start(): Promise<void> {
    const now = Date.now();
    for (const job of this.scheduled) {
      const d = job.definition;
      const seen = await this.options.store.runs.schedulerSeen(d.name);
      const missed = missedSlots(d.schedule!, seen, now, { timezone: d.timezone });
      const last = await this.options.store.runs.latest(d.name);
      const cron = new Cron(d.schedule!, { timezone: d.timezone, catch: true }, () =>
        this.trigger(job, 'schedule'),
      );
      this.crons.push(cron);
      const next = cron.nextRun()?.toISOString() ?? 'never';
      if (
        last &&
        (last.status === 'interrupted' || (last.status === 'running' && !isRunLive(last, d.name)))
      ) {
        this.log(`${d.name}: resuming interrupted run ${last.id}; next slot ${next}`);
        this.trigger(job, 'resume');
      } else if (catchUpDue(d.missed ?? 'run-once', missed)) {
        this.log(
          `${d.name}: ${missed.count} slot(s) missed while down (last ${missed.last?.toISOString()}); running once now (missed: run-once); next slot ${next}`,
        );
        this.trigger(job, 'schedule-catch-up');
      } else {
        if (missed.count)
          this.log(`${d.name}: ${missed.count} slot(s) missed while down; skipped (missed: skip)`);
        this.log(
          `${d.name}: scheduled '${d.schedule}'${d.timezone ? ` (${d.timezone})` : ''}; next slot ${next}`,
        );
      }
      await this.options.store.runs.setSchedulerSeen(d.name, now);
    }
    this.heartbeat = setInterval(() => void this.markSeen(), this.options.heartbeatMs ?? 30_000);
  }

  /** Jobs running now. */
  get runningJobs(): string[] {
    return [...this.running.keys()];
  }

  private async markSeen(): Promise<void> {
    const now = Date.now();
    for (const job of this.scheduled)
      await this.options.store.runs.setSchedulerSeen(job.definition.name, now);
  }

  /** Starts a run of the job now unless one is running (here or in another process). */
  trigger(job: Job, trigger: string): void {
    const name = job.definition.name;
    if (this.stopping) return;
    void this.options.store.runs.setSchedulerSeen(name, Date.now());
    if (this.running.has(name)) {
      this.log(`${name}: slot skipped, the previous run is still going (no overlap)`);
      return;
    }
    const abort = new AbortController();
    const promise = this.runOnce(job, trigger, abort.signal).finally(() => this.running.delete(name));
    this.running.set(name, { promise, abort });
  }

  private async runOnce(job: Job, trigger: string, signal: AbortSignal): Promise<void> {
    const name = job.definition.name;
    const last = await this.options.store.runs.latest(name);
    if (last && isRunLive(last, name)) {
      this.log(`${name}: slot skipped, run ${last.id} is going in process ${last.pid} (no overlap)`);
      return;
    }
    const t0 = Date.now();
    try {
      const r = await runJob(job, {
        store: this.options.store,
        storageDir: this.options.storageDir,
        trigger,
        signal,
        browser: this.options.browser,
        log: (level, m) => level !== 'debug' && this.log(`${name}: ${m}`),
        onStart: (run, resumed) =>
          this.log(`${name}: run ${run.id} ${resumed ? 'resumed' : 'started'} (${trigger})`),
        onProgress: (p, run) => this.options.onProgress?.(name, p, run),
      });
      const c = r.summary.counts;
      this.log(
        `${name}: run ${r.run.id} ${r.run.status} in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${c.done} done, ` +
          `${c.failed} failed, ${c.skipped} skipped, ${c.pending} pending, ${r.summary.records} records`,
      );
      this.options.onRunEnd?.(name, r);
    } catch (err) {
      const busy = err instanceof JobBusyError;
      this.log(`${name}: ${busy ? 'slot skipped' : 'run failed'}: ${(err as Error).message}`);
      if (!(err instanceof DlpipeError)) this.log((err as Error).stack ?? '');
      this.options.onRunEnd?.(name, err as Error);
    }
  }

  /** Stops the slots, lets running crawls finish their in-flight pages, keeps their queues. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      for (const c of this.crons) c.stop();
      clearInterval(this.heartbeat);
      const running = [...this.running.entries()];
      if (running.length)
        this.log(`stopping: letting ${running.map(([n]) => n).join(', ')} finish in-flight pages`);
      for (const [, r] of running) r.abort.abort();
      await Promise.allSettled(running.map(([, r]) => r.promise));
      await this.markSeen();
      this.resolveStopped();
    })();
    return this.stopping;
  }
}
