/**
 * The scheduler's policy for slots missed while it was down. The daemon records, per job, the
 * last time it accounted for the job's slots ("seen"). At start-up, slots between then and now
 * were missed: with 'run-once' (the default) the job runs once right away however many were
 * missed (like anacron, or Kubernetes' CronJob with concurrencyPolicy Forbid); with 'skip' it
 * waits for the next slot. A job the daemon has never seen has missed nothing.
 *
 *   missedSlots('0 * * * *', seenAt, now);   // { count: 3, last: Date(…) }
 */
import { Cron } from 'croner';
import type { MissedRunPolicy } from '../jobs/job-schema.js';

/** Slots of `pattern` in (seenAt, now], counted up to `cap`. */
export function missedSlots(
  pattern: string,
  seenAt: number | undefined,
  now: number,
  options: { timezone?: string; cap?: number } = {},
): { count: number; last: Date | undefined } {
  if (seenAt === undefined || seenAt >= now) return { count: 0, last: undefined };
  const cron = new Cron(pattern, { paused: true, timezone: options.timezone });
  const cap = options.cap ?? 1000;
  let count = 0;
  let last: Date | undefined;
  let t: Date | null = new Date(seenAt);
  for (;;) {
    t = cron.nextRun(t);
    if (!t || t.getTime() > now || count >= cap) break;
    count++;
    last = t;
  }
  cron.stop();
  return { count, last };
}

/** Whether to run a job at start-up under its policy. */
export function catchUpDue(policy: MissedRunPolicy, missed: { count: number }): boolean {
  return policy === 'run-once' && missed.count > 0;
}

/** The next slot of a schedule after `from` (default now), or undefined. */
export function nextSlot(pattern: string | undefined, timezone?: string, from?: Date): Date | undefined {
  if (!pattern) return undefined;
  const cron = new Cron(pattern, { paused: true, timezone });
  const next = cron.nextRun(from) ?? undefined;
  cron.stop();
  return next;
}
