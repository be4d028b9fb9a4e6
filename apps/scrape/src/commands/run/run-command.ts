/**
 * `dlpipe-scrape run <job>`: runs a job now (resuming its unfinished run unless --fresh), with a
 * live progress line on stderr and a summary on stdout. The first SIGINT/SIGTERM lets in-flight
 * pages finish and keeps the queue (run it again to resume); a second one exits at once.
 *
 *   pnpm scrape run data/scrape/jobs/demo-shop.yaml --serve data/scrape/site
 */
import {
  type CrawlOptions,
  CrawlProgressBar,
  findJob,
  type LocalSite,
  runJob,
  serveLocalSite,
} from '@dlpipe/scrape';
import { z } from 'zod';
import {
  type Command,
  defaultJobs,
  defaultStorage,
  openStore,
  parseCommand,
  STORE_OPTIONS,
} from '../../args.js';
import { formatDuration, runCounts } from '../../format.js';
import { installStopSignals } from '../../signals.js';

const USAGE = `usage: dlpipe-scrape run <job> [--jobs jobs] [--storage runs/scrape] [--fresh] [--serve DIR]
                         [--max-pages N] [--concurrency N] [--delay MS] [--quiet] [--verbose] [--json]

Runs <job> (a job file, or the name of one in --jobs) now. An unfinished run of the job (killed, or
stopped by a signal) is resumed from its queue; --fresh abandons it and starts over. --serve DIR
serves DIR on 127.0.0.1 for the run and sets SITE_URL, for job files that use \${SITE_URL}.`;

const schema = z.object({
  storage: z.string().default(defaultStorage()),
  jobs: z.string().default(defaultJobs()),
  fresh: z.boolean().default(false),
  serve: z.string().optional(),
  maxPages: z.coerce.number().int().positive().optional(),
  concurrency: z.coerce.number().int().positive().max(64).optional(),
  delay: z.coerce.number().int().nonnegative().optional(),
  quiet: z.boolean().default(false),
  verbose: z.boolean().default(false),
  json: z.boolean().default(false),
});

const OPTIONS = {
  ...STORE_OPTIONS,
  fresh: { type: 'boolean' },
  serve: { type: 'string' },
  'max-pages': { type: 'string' },
  concurrency: { type: 'string' },
  delay: { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
  verbose: { type: 'boolean', short: 'v' },
  json: { type: 'boolean' },
} as const;

async function main(argv: string[]): Promise<number> {
  const { values: o, positionals } = parseCommand(argv, OPTIONS, schema, USAGE, { min: 1, max: 1 });
  let site: LocalSite | undefined;
  const store = openStore(o.storage);
  const stop = installStopSignals((signal) =>
    process.stderr.write(
      `\n${signal}: finishing the pages in flight, keeping the queue (again to quit at once)\n`,
    ),
  );
  try {
    const env: Record<string, string | undefined> = { ...process.env };
    if (o.serve) {
      site = await serveLocalSite({ root: o.serve });
      env.SITE_URL = site.url;
      if (!o.quiet) process.stderr.write(`serving ${o.serve} at ${site.url}\n`);
    }
    const job = await findJob(positionals[0]!, o.jobs, env);
    const overrides: Partial<CrawlOptions> = {};
    if (o.maxPages !== undefined) overrides.maxPages = o.maxPages;
    if (o.concurrency !== undefined) overrides.maxConcurrency = o.concurrency;
    if (o.delay !== undefined) overrides.delayMs = o.delay;
    const bar = o.quiet ? undefined : new CrawlProgressBar({ label: job.definition.name });
    const tty = Boolean(process.stderr.isTTY);
    const note = (line: string) => process.stderr.write(`${tty && bar ? '\r\x1b[2K' : ''}${line}\n`);
    const r = await runJob(job, {
      store,
      storageDir: o.storage,
      trigger: 'cli',
      fresh: o.fresh,
      overrides,
      signal: stop.signal,
      log: (level, m) => (level === 'warn' || o.verbose) && !o.quiet && note(m),
      onStart: (run, resumed) =>
        !o.quiet && note(`${resumed ? 'resuming' : 'starting'} run ${run.id} of ${job.definition.name}`),
      onProgress: (p) => bar?.update(p),
    });
    bar?.done();
    if (o.json) {
      console.log(
        JSON.stringify({
          run: r.run,
          resumed: r.resumed,
          runDir: r.runDir,
          manifest: r.manifest,
          summary: r.summary,
        }),
      );
    } else {
      console.log(
        `run ${r.run.id} of ${r.run.job} ${r.run.status} after ${formatDuration(r.summary.session.elapsedS)}: ${runCounts(r.run)}`,
      );
      if (r.run.status === 'interrupted') console.log(`resume with: dlpipe-scrape run ${positionals[0]}`);
      console.log(`export with: dlpipe-scrape export ${r.run.id} --format jsonl|csv|feather`);
      if (r.manifest) console.log(`images: ${r.manifest}`);
    }
    return r.run.status === 'interrupted' ? 128 + (stop.signalNumber() ?? 2) : 0;
  } finally {
    stop.dispose();
    await store.close();
    await site?.close();
  }
}

export const runCommand: Command = { usage: USAGE, main };
