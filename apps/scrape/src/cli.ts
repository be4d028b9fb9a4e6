/**
 * `dlpipe-scrape` (`pnpm scrape …`): crawl jobs, the scheduler daemon, run status and exports.
 * Commands come from an explicit registry and load only when chosen (each lives in its own folder
 * under commands/), so `--help` and usage errors answer before the crawler's modules load.
 *
 *   pnpm scrape run data/scrape/jobs/demo-shop.yaml --serve data/scrape/site
 *   pnpm scrape status 1     pnpm scrape export 1 --format csv
 */
import { lazy, runCli } from '@dlpipe/core';
import { SUMMARIES } from './summaries.js';

runCli(
  'scrape',
  {
    run: lazy(SUMMARIES.run, async () => (await import('./commands/run/run-command.js')).runCommand),
    schedule: lazy(
      SUMMARIES.schedule,
      async () => (await import('./commands/schedule/schedule-command.js')).scheduleCommand,
    ),
    jobs: lazy(SUMMARIES.jobs, async () => (await import('./commands/jobs/jobs-command.js')).jobsCommand),
    status: lazy(
      SUMMARIES.status,
      async () => (await import('./commands/status/status-command.js')).statusCommand,
    ),
    export: lazy(
      SUMMARIES.export,
      async () => (await import('./commands/export/export-command.js')).exportCommand,
    ),
  },
  process.argv.slice(2),
);
