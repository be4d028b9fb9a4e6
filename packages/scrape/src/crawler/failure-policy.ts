/**
 * What becomes of a request that failed: skipped (on purpose), retried after exponential backoff
 * with jitter — and at least the server's Retry-After, during which its host is paused — or failed
 * for good (not retryable, retries used up, or a Retry-After beyond maxRetryAfterMs).
 *
 *   const d = decideFailure(request, new RetryRequestError(url, 'HTTP 503', { retryAfterMs: 2000 }), options, Date.now());
 *   // { action: 'retry', notBefore: now + 2000, pauseHostUntil: now + 2000, … }
 */
import { type RequestError, RetryRequestError, SkipRequestError } from '../errors.js';
import { backoffMs } from '../politeness/backoff.js';
import type { CrawlRequest } from '../storage/types.js';
import type { ResolvedCrawlOptions } from './crawl-options.js';

export type FailureDecision =
  | { action: 'skip'; message: string; status: number | undefined }
  | {
      action: 'retry';
      message: string;
      status: number | undefined;
      notBefore: number;
      pauseHostUntil: number | undefined;
    }
  | { action: 'fail'; message: string; status: number | undefined };

export function decideFailure(
  request: Pick<CrawlRequest, 'attempts'>,
  e: RequestError,
  o: Pick<ResolvedCrawlOptions, 'maxRetries' | 'maxRetryAfterMs' | 'backoff'>,
  now: number,
  random: () => number = Math.random,
): FailureDecision {
  const status = 'status' in e ? (e.status as number | undefined) : undefined;
  if (e instanceof SkipRequestError) return { action: 'skip', message: e.message, status };
  const attempt = request.attempts + 1;
  if (e instanceof RetryRequestError && attempt <= o.maxRetries) {
    const after = e.retryAfterMs;
    if (after !== undefined && after > o.maxRetryAfterMs) {
      const message = `${e.message}; Retry-After is longer than maxRetryAfterMs (${o.maxRetryAfterMs} ms)`;
      return { action: 'fail', message, status };
    }
    const delay = Math.max(backoffMs(attempt, o.backoff, random), after ?? 0);
    return {
      action: 'retry',
      message: e.message,
      status,
      notBefore: now + delay,
      pauseHostUntil: after === undefined ? undefined : now + after,
    };
  }
  return {
    action: 'fail',
    message: attempt > 1 ? `${e.message} (after ${attempt} attempts)` : e.message,
    status,
  };
}
