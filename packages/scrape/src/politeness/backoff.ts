/**
 * Retry delays: exponential backoff with jitter, and the HTTP Retry-After header.
 *
 *   backoffMs(3, { baseMs: 500, maxMs: 30_000 }, Math.random); // in [1000, 2000): 500·2² halved + jitter
 *   parseRetryAfter('120');                                    // 120000
 *   parseRetryAfter('Wed, 21 Oct 2099 07:28:00 GMT');           // ms until then
 */

/** Options of `backoffMs`. */
export interface BackoffOptions {
  /** Delay before the first retry, before jitter, ms. Default 1,000. */
  baseMs?: number;
  /** Cap on any delay, ms. Default 60,000. */
  maxMs?: number;
}

/**
 * Delay before retry number `attempt` (1 = first retry): `min(max, base·2^(attempt-1))`, of which
 * the upper half is random ("equal jitter"), so retries of many requests do not arrive together.
 */
export function backoffMs(
  attempt: number,
  options: BackoffOptions = {},
  random: () => number = Math.random,
): number {
  const base = options.baseMs ?? 1000;
  const max = options.maxMs ?? 60_000;
  const ceiling = Math.min(max, base * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/**
 * A Retry-After header value in ms from `now`: delay-seconds or an HTTP-date; undefined when
 * absent or unreadable. A date in the past gives 0.
 */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (value === null || value === undefined) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const t = /[a-z]/i.test(v) ? Date.parse(v) : Number.NaN; // an HTTP-date has a day name
  if (Number.isNaN(t)) return undefined;
  return Math.max(0, t - now);
}
