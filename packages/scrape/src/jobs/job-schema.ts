/**
 * A job: a named crawl, maybe on a cron schedule. Written as YAML/JSON (checked by `jobFileSchema`)
 * or in TypeScript with `defineJob`; `extract` may name a TS module that exports the function.
 *
 *   export default defineJob({ name: 'shop', startUrls: ['https://shop.example/'], schedule: '0 3 * * *',
 *     extract: async ({ page }) => ({ title: await page.title() }) });
 */
import { Cron } from 'croner';
import { z } from 'zod';
import { type CrawlOptions, crawlOptionsSchema } from '../crawler/crawl-options.js';

/** What the scheduler does about slots that passed while it was not running. */
export type MissedRunPolicy = 'run-once' | 'skip';
export const MISSED_RUN_POLICIES: readonly MissedRunPolicy[] = ['run-once', 'skip'];

export interface JobDefinition extends CrawlOptions {
  /** Letters, digits, `.`, `_`, `-`; names the run directory. Default: the job file's name. */
  name: string;
  description?: string;
  /** Cron expression (5 fields, or 6 with seconds) for the scheduler daemon. */
  schedule?: string;
  /** IANA time zone of the schedule. Default the machine's. */
  timezone?: string;
  /**
   * Slots missed while the daemon was down: 'run-once' (default) runs the job once at start-up
   * however many slots were missed; 'skip' waits for the next slot.
   */
  missed?: MissedRunPolicy;
}

/** Identity, for typed job modules (`export default defineJob({...})`). */
export function defineJob(job: JobDefinition): JobDefinition {
  return job;
}

export const JOB_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** A reference from a job file to a TS/JS extraction function. */
export const moduleRefSchema = z.strictObject({
  module: z.string().min(1),
  export: z.string().min(1).optional(),
});

/** A cron expression croner accepts (5 fields, or 6 with seconds). */
const cronSchema = z
  .string()
  .min(1)
  .superRefine((pattern, ctx) => {
    try {
      new Cron(pattern, { paused: true }).stop();
    } catch (err) {
      ctx.addIssue({
        code: 'custom',
        message: `not a cron expression (${(err as Error).message}); e.g. '0 3 * * *' is daily at 03:00`,
      });
    }
  });

/** An IANA time zone the runtime knows. */
const timezoneSchema = z
  .string()
  .min(1)
  .refine(
    (tz) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    },
    {
      error: (i) => `unknown time zone '${String(i.input)}'; use an IANA name like 'Europe/Berlin' or 'UTC'`,
    },
  );

const jobFields = {
  name: z.string().regex(JOB_NAME, 'use letters, digits, ".", "_" and "-" (it names a directory)'),
  description: z.string().optional(),
  schedule: cronSchema.optional(),
  timezone: timezoneSchema.optional(),
  missed: z.enum(MISSED_RUN_POLICIES as [MissedRunPolicy, ...MissedRunPolicy[]]).optional(),
};

/** A job file: the crawl options plus the job's own fields; `extract` may be a module reference. */
export const jobFileSchema = crawlOptionsSchema.extend({
  ...jobFields,
  extract: z.union([moduleRefSchema, crawlOptionsSchema.shape.extract.unwrap()]).optional(),
});

/** A job definition from TypeScript (extract may be a function). */
export const jobDefinitionSchema = crawlOptionsSchema.extend(jobFields);
