/**
 * The one-line summaries of the `dlpipe-scrape` commands, in a module that loads nothing, so the
 * registry can list them (and answer `--help`) before any command module loads.
 *
 *   lazy(SUMMARIES.run, () => import('./commands/run/run-command.js').then((m) => m.runCommand));
 */
export const SUMMARIES = {
  run: 'run a job now (resumes its unfinished run)',
  schedule: 'the scheduler daemon (cron jobs, no overlap)',
  jobs: 'list the jobs, their schedules and last runs',
  status: 'recent runs, or one run in detail',
  export: 'export a run as JSONL, CSV or Feather',
} as const;
