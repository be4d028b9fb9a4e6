/**
 * What a failure means for a request: anything thrown while handling a page becomes a
 * `RetryRequestError` (network errors, timeouts, crashes), a `NonRetryableError` (blocked,
 * invalid, too many redirects) or stays what it is when it is already one of ours.
 *
 *   const e = classifyError(err, url, { timeoutMs: 30_000, browserAlive: pool.alive });
 *   if (e instanceof RetryRequestError) …
 */
import { errors } from 'playwright-core';
import {
  BrowserCrashedError,
  NonRetryableError,
  RedirectLimitError,
  RequestError,
  RequestTimeoutError,
  RetryRequestError,
} from '../errors.js';

/** Chromium network errors that retrying cannot fix. */
const PERMANENT_NET =
  /net::ERR_(INVALID_URL|UNSAFE_PORT|UNSAFE_REDIRECT|BLOCKED_BY_[A-Z_]+|CERT_[A-Z_]+|SSL_[A-Z_]+|DISALLOWED_URL_SCHEME|UNKNOWN_URL_SCHEME|INVALID_REDIRECT)/;
const CLOSED =
  /Target (page, context or browser )?(has been )?closed|Browser has been closed|browser has disconnected|Target crashed|Page crashed|Connection closed/i;

/** Context for `classifyError`. */
export interface ClassifyContext {
  timeoutMs: number;
  /** False when the browser died under the request. */
  browserAlive: boolean;
}

function messageOf(err: unknown): string {
  return ((err as Error)?.message ?? String(err))
    .split('\n')[0]!
    .replace(/^(page|frame|locator|elementHandle)\.\w+: /, '');
}

export function classifyError(err: unknown, url: string, ctx: ClassifyContext): RequestError {
  if (err instanceof RequestError) return err;
  const msg = messageOf(err);
  if (err instanceof errors.TimeoutError) return new RequestTimeoutError(url, ctx.timeoutMs, { cause: err });
  if (!ctx.browserAlive || CLOSED.test(msg)) {
    return new BrowserCrashedError(url, /crash/i.test(msg) ? 'the page crashed' : 'the browser closed', {
      cause: err,
    });
  }
  if (msg.includes('net::ERR_TOO_MANY_REDIRECTS')) {
    return new RedirectLimitError(
      url,
      'redirect loop or more than 20 redirects (Chromium stopped following)',
      { cause: err },
    );
  }
  if (PERMANENT_NET.test(msg)) return new NonRetryableError(url, msg, { cause: err });
  if (msg.includes('net::ERR_')) return new RetryRequestError(url, msg, { cause: err, code: 'NETWORK' });
  // an error thrown by an extraction function: retried, as Crawlee does with handler errors
  return new RetryRequestError(url, msg, { cause: err, code: 'HANDLER' });
}

/** True when the page should not be reused after this error (it may be mid-navigation or hung). */
export function spoilsPage(err: RequestError): boolean {
  return err instanceof RequestTimeoutError || err instanceof BrowserCrashedError || err.code === 'NETWORK';
}
