/**
 * `dlpipe-scrape schedule`: the scheduler daemon over the job files of --jobs. Logs one line per
 * event on stdout; SIGTERM/SIGINT lets running crawls finish their in-flight pages, keeps their
 * queues (the next start resumes them) and exits 143/130.
 *
 *   pnpm scrape schedule --jobs jobs --storage runs/scrape
 */
import { defineCommand, ensureDir, interruptedExitCode, OptionsError } from '@dlpipe/core';
import { listJobs, Scheduler } from '@dlpipe/scrape';
import { checkJobs, checkStorage, jobsFlag, openStore, stopSignalName, storageFlag } from '../../storage.js';
import { SUMMARIES } from '../../summaries.js';

const log = (line: string) => console.log(`${new Date().toISOString()} ${line}`);

export const scheduleCommand = defineCommand({
  summary: SUMMARIES.schedule,
  description: `Runs every job of --jobs that has a \`schedule\` (cron) at its slots, never two runs of one job at
once. Slots missed while the daemon was down: per job, \`missed: run-once\` (default) runs it once
at start-up, \`missed: skip\` waits for the next slot. Interrupted runs are resumed at start-up.
SIGTERM/SIGINT: running crawls finish the pages in flight and keep their queues (exit 143/130).`,
  flags: { jobs: jobsFlag, storage: storageFlag },
  examples: ['pnpm scrape schedule --jobs data/scrape/jobs --storage runs/scrape'],
  interruptible: true,
  async run(o, ctx) {
    checkStorage(o.storage);
    checkJobs(o.jobs);
    ensureDir(o.storage, 'scrape storage folder'); // the daemon writes there: an impossible one fails now
    const entries = await listJobs(o.jobs);
    for (const e of entries) if (e.error) log(`skipping ${e.file}: ${e.error.message}`);
    const jobs = entries.flatMap((e) => (e.job ? [e.job] : []));
    if (!jobs.some((j) => j.definition.schedule)) {
      throw new OptionsError(
        `no job in ${o.jobs} has a schedule; add e.g. \`schedule: "0 3 * * *"\` to a job file`,
      );
    }
    const store = openStore(o.storage);
    const scheduler = new Scheduler({ jobs, store, storageDir: o.storage, log });
    const onStop = () => {
      log(`${stopSignalName(ctx.signal)}: stopping; running crawls finish their pages in flight`);
      void scheduler.stop();
    };
    ctx.signal.addEventListener('abort', onStop, { once: true });
    try {
      log(
        `scheduler up (pid ${process.pid}): ${scheduler.scheduled.length} scheduled job(s), store ${store.path}`,
      );
      await scheduler.start();
      await scheduler.stopped;
      log('scheduler stopped');
      return ctx.signal.aborted ? interruptedExitCode(ctx.signal) : 0;
    } finally {
      ctx.signal.removeEventListener('abort', onStop);
      await store.close();
    }
  },
});
