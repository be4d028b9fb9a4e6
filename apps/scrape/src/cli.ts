/**
 * `dlpipe-scrape` (`pnpm scrape …`): crawl jobs, the scheduler daemon, run status and exports.
 * Commands come from an explicit registry and load only when chosen (each lives in its own folder
 * under commands/), so help and usage errors answer at once.
 *
 *   pnpm scrape run data/scrape/jobs/demo-shop.yaml --serve data/scrape/site
 *   pnpm scrape status 1     pnpm scrape export 1 --format csv
 */
import { type Command, HelpRequested, UsageError } from './usage.js';

interface Entry {
  summary: string;
  load(): Promise<Command>;
}

const COMMANDS: Record<string, Entry> = {
  run: {
    summary: 'run a job now (resumes its unfinished run)',
    load: async () => (await import('./commands/run/run-command.js')).runCommand,
  },
  schedule: {
    summary: 'the scheduler daemon (cron jobs, no overlap)',
    load: async () => (await import('./commands/schedule/schedule-command.js')).scheduleCommand,
  },
  jobs: {
    summary: 'list the jobs, their schedules and last runs',
    load: async () => (await import('./commands/jobs/jobs-command.js')).jobsCommand,
  },
  status: {
    summary: 'recent runs, or one run in detail',
    load: async () => (await import('./commands/status/status-command.js')).statusCommand,
  },
  export: {
    summary: 'export a run as JSONL, CSV or Feather',
    load: async () => (await import('./commands/export/export-command.js')).exportCommand,
  },
};

function usage(): string {
  const rows = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(9)} ${c.summary}`);
  return `usage: dlpipe-scrape <command> [options]   (dlpipe-scrape <command> --help for its options)\n\ncommands:\n${rows.join('\n')}`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h') {
    (name ? console.log : console.error)(usage());
    return name ? 0 : 1;
  }
  const entry = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!entry) throw new UsageError(`unknown command '${name}'`, usage());
  return (await entry.load()).main(rest);
}

async function exitCode(err: unknown): Promise<number> {
  if (err instanceof HelpRequested) {
    console.log(err.usage);
    return 0;
  }
  console.error(`dlpipe-scrape: ${err instanceof Error ? err.message : String(err)}`);
  if (err instanceof UsageError) {
    console.error(err.usage);
    return 1;
  }
  if (process.env.DLPIPE_DEBUG && err instanceof Error) console.error(err.stack);
  const { DlpipeError } = await import('@dlpipe/tensor'); // loaded already by the command that threw
  return err instanceof DlpipeError ? 2 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  async (err: unknown) => process.exit(await exitCode(err)),
);
