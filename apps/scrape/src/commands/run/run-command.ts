/**
 * `dlpipe-scrape run <job>`: runs a job now — resuming its unfinished run if there is one — with a
 * progress bar on stderr and a summary on stdout. The first SIGINT/SIGTERM lets the pages in flight
 * finish and keeps the queue (exit 130/143; the next `run` resumes); a second one exits at once.
 *
 *   pnpm scrape run data/scrape/jobs/demo-shop.yaml --serve data/scrape/site
 */
import { checkInputDir, defineCommand, interruptedExitCode } from '@dlpipe/core';
import {
  type CrawlOptions,
  CrawlProgressBar,
  findJob,
  JobFileError,
  type LocalSite,
  runJob,
  serveLocalSite,
} from '@dlpipe/scrape';
import { z } from 'zod';
import { formatDuration, runCounts } from '../../format.js';
import { checkJobs, checkStorage, jobsFlag, openStore, storageFlag } from '../../storage.js';
import { SUMMARIES } from '../../summaries.js';

/** The crawl options given on the command line. */
function overridesOf(o: { maxPages?: number; concurrency?: number; delay?: number }): Partial<CrawlOptions> {
  const overrides: Partial<CrawlOptions> = {};
  if (o.maxPages !== undefined) overrides.maxPages = o.maxPages;
  if (o.concurrency !== undefined) overrides.maxConcurrency = o.concurrency;
  if (o.delay !== undefined) overrides.delayMs = o.delay;
  return overrides;
}

/**
 * The CLI prints the first line of an error; a job file's issues go on that line, one after the
 * other, so none is lost.
 */
function oneLine(err: unknown): unknown {
  return err instanceof JobFileError && err.issues.length > 1
    ? new JobFileError(err.file, [err.issues.join('; ')])
    : err;
}

export const runCommand = defineCommand({
  summary: SUMMARIES.run,
  description: `Runs <job> (a job file, or the name of one in --jobs) now. An unfinished run of the job (killed, or
stopped by a signal) is resumed from its queue; --fresh abandons it and starts over. --serve DIR
serves DIR on 127.0.0.1 for the run and sets SITE_URL, for job files that use \${SITE_URL}.
The first SIGINT/SIGTERM lets the pages in flight finish and keeps the queue (exit 130/143).`,
  args: { job: z.string().describe('a job file, or the name of one in --jobs') },
  flags: {
    jobs: jobsFlag,
    storage: storageFlag,
    fresh: z.boolean().default(false).describe('abandon an unfinished run and start over'),
    serve: z
      .string()
      .optional()
      .meta({ placeholder: 'DIR', description: 'serve DIR on 127.0.0.1 for the run and set SITE_URL' }),
    maxPages: z.coerce
      .number()
      .int()
      .positive()
      .optional()
      .describe("stop after N pages (overrides the job's)"),
    concurrency: z.coerce.number().int().positive().max(64).optional().describe('pages at once (overrides)'),
    delay: z.coerce
      .number()
      .int()
      .nonnegative()
      .optional()
      .meta({ placeholder: 'MS', description: 'wait between requests to a host (overrides)' }),
    quiet: z.boolean().default(false).meta({ short: 'q', description: 'no progress bar or notes' }),
    verbose: z.boolean().default(false).meta({ short: 'v', description: 'log every page' }),
  },
  examples: [
    'pnpm scrape run data/scrape/jobs/demo-shop.yaml --serve data/scrape/site',
    'pnpm scrape run demo-shop --jobs data/scrape/jobs --max-pages 10 --json',
  ],
  json: true,
  interruptible: true,
  async run(o, ctx) {
    if (o.serve) checkInputDir(o.serve, 'site folder to --serve');
    checkStorage(o.storage);
    checkJobs(o.jobs);
    const store = openStore(o.storage);
    let site: LocalSite | undefined;
    let bar: CrawlProgressBar | undefined;
    const tty = Boolean(process.stderr.isTTY);
    const note = (line: string) => process.stderr.write(`${tty && bar ? '\r\x1b[2K' : ''}${line}\n`);
    const onStop = () => note('finishing the pages in flight, keeping the queue');
    ctx.signal.addEventListener('abort', onStop, { once: true });
    try {
      const env: Record<string, string | undefined> = { ...process.env };
      if (o.serve) {
        site = await serveLocalSite({ root: o.serve });
        env.SITE_URL = site.url;
        if (!o.quiet) note(`serving ${o.serve} at ${site.url}`);
      }
      const job = await findJob(o.job, o.jobs, env).catch((err: unknown) => {
        throw oneLine(err);
      });
      if (!o.quiet) bar = new CrawlProgressBar({ label: job.definition.name });
      const r = await runJob(job, {
        store,
        storageDir: o.storage,
        trigger: 'cli',
        fresh: o.fresh,
        overrides: overridesOf(o),
        signal: ctx.signal,
        log: (level, m) => (level === 'warn' || o.verbose) && !o.quiet && note(m),
        onStart: (run, resumed) =>
          !o.quiet && note(`${resumed ? 'resuming' : 'starting'} run ${run.id} of ${job.definition.name}`),
        onProgress: (p) => bar?.update(p),
      });
      bar?.done();
      const interrupted = r.run.status === 'interrupted';
      const lines = [
        `run ${r.run.id} of ${r.run.job} ${r.run.status} after ${formatDuration(r.summary.session.elapsedS)}: ${runCounts(r.run)}`,
      ];
      if (interrupted) lines.push(`resume with: dlpipe-scrape run ${o.job}`);
      lines.push(`export with: dlpipe-scrape export ${r.run.id} --format jsonl|csv|feather`);
      if (r.manifest) lines.push(`images: ${r.manifest}`);
      return {
        lines,
        data: { run: r.run, resumed: r.resumed, runDir: r.runDir, manifest: r.manifest, summary: r.summary },
        exitCode: interrupted ? interruptedExitCode(ctx.signal) : 0,
      };
    } finally {
      ctx.signal.removeEventListener('abort', onStop);
      await store.close();
      await site?.close();
    }
  },
});
