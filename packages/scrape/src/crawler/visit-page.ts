/**
 * One navigation with the crawl's limits: the page guard stops oversized and non-HTML responses
 * and redirect chains longer than `maxRedirects`, and the HTTP status decides the consequence:
 * 429 and 5xx are retried (Retry-After honoured), other 4xx fail at once, non-HTML 2xx is skipped.
 *
 *   const visit = await visitPage(lease, 'http://127.0.0.1:8080/', options);
 *   visit.status; visit.loadedUrl; visit.response;
 */
import { STATUS_CODES } from 'node:http';
import type { Response } from 'playwright-core';
import type { PageLease } from '../browser/browser-pool.js';
import type { GuardTrip } from '../browser/page-guard.js';
import {
  NonRetryableError,
  PageTooLargeError,
  RedirectLimitError,
  RetryRequestError,
  SkipRequestError,
} from '../errors.js';
import { parseRetryAfter } from '../politeness/backoff.js';
import type { ResolvedCrawlOptions } from './crawl-options.js';

/** A page that loaded and may be read. */
export interface Visit {
  response: Response | null;
  status: number;
  /** Where the page ended up after redirects. */
  loadedUrl: string;
}

type VisitLimits = Pick<
  ResolvedCrawlOptions,
  'wait' | 'timeoutMs' | 'maxRedirects' | 'maxPageBytes' | 'acceptTypes'
>;

function tripError(url: string, trip: GuardTrip, o: VisitLimits): Error {
  if (trip.kind === 'too-large') return new PageTooLargeError(url, trip.bytes, o.maxPageBytes);
  if (trip.kind === 'redirects') return redirectError(url, trip.hops, trip.to, o.maxRedirects);
  return new SkipRequestError(
    url,
    `not a page: ${trip.mimeType || 'no Content-Type'} (accepted: ${o.acceptTypes.join(', ')})`,
  );
}

function redirectError(url: string, hops: number, to: string, maxRedirects: number): Error {
  return new RedirectLimitError(url, `${hops} redirects (maxRedirects is ${maxRedirects}), ending at ${to}`);
}

function redirectCount(response: Response): number {
  let n = 0;
  for (let r = response.request().redirectedFrom(); r; r = r.redirectedFrom()) n++;
  return n;
}

/** The error an HTTP error status means: 429 and 5xx are retried, other 4xx are not. */
export function statusError(url: string, status: number, statusText: string, retryAfterMs?: number): Error {
  if (status === 429 || status >= 500) {
    const after = retryAfterMs === undefined ? '' : `, Retry-After ${Math.round(retryAfterMs / 1000)} s`;
    return new RetryRequestError(url, `HTTP ${status} ${statusText}${after}`.trim(), {
      status,
      retryAfterMs,
      code: 'HTTP',
    });
  }
  return new NonRetryableError(
    url,
    `HTTP ${status} ${statusText} (4xx other than 429 is not retried)`.trim(),
    {
      status,
      code: 'HTTP',
    },
  );
}

/**
 * Chromium sometimes answers an HTTP error page by navigating to its own error page, and
 * Playwright's `goto` then throws "interrupted by another navigation to chrome-error://…"
 * instead of returning the response: the status the guard saw is the real outcome.
 */
export function errorPageStatus(err: unknown, seen: number | undefined): number | undefined {
  const message = (err as Error | undefined)?.message ?? '';
  if (
    seen === undefined ||
    seen < 400 ||
    !/interrupted by another navigation to "?chrome-error:/i.test(message)
  )
    return undefined;
  return seen;
}

/** Navigates `lease.page` to `url` and returns the response, or throws what the outcome means. */
export async function visitPage(lease: PageLease, url: string, o: VisitLimits): Promise<Visit> {
  const { page, guard } = lease;
  guard.arm({ maxBytes: o.maxPageBytes, acceptTypes: o.acceptTypes, maxRedirects: o.maxRedirects });
  let response: Response | null;
  try {
    response = await page.goto(url, { waitUntil: o.wait.until, timeout: o.timeoutMs });
  } catch (err) {
    await guard.stopping;
    if (guard.tripped) throw tripError(url, guard.tripped, o);
    if (/Download is starting/i.test((err as Error).message ?? '')) {
      throw new SkipRequestError(
        url,
        `not a page: the server sent a download (${guard.main?.mimeType ?? 'unknown type'})`,
      );
    }
    const status = errorPageStatus(err, guard.main?.status);
    if (status !== undefined) throw statusError(url, status, STATUS_CODES[status] ?? '');
    throw err;
  } finally {
    guard.disarm();
  }
  await guard.stopping;
  if (guard.tripped) throw tripError(url, guard.tripped, o);
  if (!response) return { response, status: 200, loadedUrl: page.url() };
  const status = response.status();
  const hops = redirectCount(response);
  if (hops > o.maxRedirects) throw redirectError(url, hops, response.url(), o.maxRedirects);
  if (status === 429 || status >= 500) {
    const retryAfterMs = parseRetryAfter(await response.headerValue('retry-after'));
    throw statusError(url, status, response.statusText(), retryAfterMs);
  }
  if (status >= 400) throw statusError(url, status, response.statusText());
  // the guard saw the MIME type already; headers() is the synchronous fallback (no protocol round trip)
  const mime = (guard.main?.mimeType ?? response.headers()['content-type']?.split(';')[0] ?? '')
    .trim()
    .toLowerCase();
  if (status !== 204 && mime !== '' && !o.acceptTypes.includes(mime)) {
    throw new SkipRequestError(
      url,
      `not a page: ${mime || 'no Content-Type'} (accepted: ${o.acceptTypes.join(', ')})`,
    );
  }
  if (guard.main && guard.main.bytes > o.maxPageBytes)
    throw new PageTooLargeError(url, guard.main.bytes, o.maxPageBytes);
  return { response, status, loadedUrl: page.url() };
}
