/**
 * `dlpipe-scrape schedule`: the scheduler daemon over the job files of --jobs. Logs one line per
 * event on stdout; SIGTERM/SIGINT lets running crawls finish their in-flight pages, keeps their
 * queues (the next start resumes them) and exits 0.
 *
 *   pnpm scrape schedule --jobs jobs --storage runs/scrape
 */
import { listJobs, Scheduler } from '@dlpipe/scrape';
import { z } from 'zod';
import {
  type Command,
  defaultJobs,
  defaultStorage,
  openStore,
  parseCommand,
  STORE_OPTIONS,
  UsageError,
} from '../../args.js';
import { installStopSignals } from '../../signals.js';

const USAGE = `usage: dlpipe-scrape schedule [--jobs jobs] [--storage runs/scrape]

Runs every job of --jobs that has a \`schedule\` (cron) at its slots, never two runs of one job at
once. Slots missed while the daemon was down: per job, \`missed: run-once\` (default) runs it once
at start-up, \`missed: skip\` waits for the next slot. Interrupted runs are resumed at start-up.`;

const schema = z.object({
  storage: z.string().default(defaultStorage()),
  jobs: z.string().default(defaultJobs()),
});

const log = (line: string) => console.log(`${new Date().toISOString()} ${line}`);

async function main(argv: string[]): Promise<number> {
  const { values: o } = parseCommand(argv, STORE_OPTIONS, schema, USAGE, { min: 0, max: 0 });
  const entries = await listJobs(o.jobs);
  for (const e of entries) if (e.error) log(`skipping ${e.file}: ${e.error.message}`);
  const jobs = entries.flatMap((e) => (e.job ? [e.job] : []));
  if (!jobs.some((j) => j.definition.schedule)) {
    throw new UsageError(
      `no job in ${o.jobs} has a schedule; add e.g. \`schedule: "0 3 * * *"\` to a job file`,
      USAGE,
    );
  }
  const store = openStore(o.storage);
  const scheduler = new Scheduler({ jobs, store, storageDir: o.storage, log });
  const stop = installStopSignals((sig) => {
    log(`${sig}: stopping (again to quit at once)`);
    void scheduler.stop();
  });
  try {
    log(
      `scheduler up (pid ${process.pid}): ${scheduler.scheduled.length} scheduled job(s), store ${store.path}`,
    );
    await scheduler.start();
    await scheduler.stopped;
    log('scheduler stopped');
    return 0;
  } finally {
    stop.dispose();
    await store.close();
  }
}

export const scheduleCommand: Command = { usage: USAGE, main };
