/**
 * Typed errors of @dlpipe/scrape, named for their consequence: the crawler retries a
 * `RetryRequestError` (and the network errors, 5xx and 429 it maps to one) with backoff, gives up
 * at once on a `NonRetryableError`, and stops the whole crawl on a `CrawlError`.
 *
 *   throw new NonRetryableError(url, 'the product page has no price; the site layout changed');
 *   if (err instanceof RetryRequestError) err.retryAfterMs;
 */
import { DlpipeError } from '@dlpipe/core';

/** Something went wrong with one request; `url` names it. */
export class RequestError extends DlpipeError {
  readonly url: string;
  constructor(code: string, url: string, message: string, options?: { cause?: unknown }) {
    super(code, `${url}: ${message}`, options);
    this.url = url;
  }
}

/** The request failed for a reason that may pass: retried with exponential backoff and jitter. */
export class RetryRequestError extends RequestError {
  /** The server asked to wait this long (Retry-After), in ms; the retry waits at least as long. */
  readonly retryAfterMs: number | undefined;
  /** The HTTP status, when there was a response. */
  readonly status: number | undefined;
  constructor(
    url: string,
    message: string,
    options: { cause?: unknown; retryAfterMs?: number; status?: number; code?: string } = {},
  ) {
    super(options.code ?? 'RETRY_REQUEST', url, message, options);
    this.retryAfterMs = options.retryAfterMs;
    this.status = options.status;
  }
}

/** The request failed for a reason retrying cannot fix (4xx other than 429, a redirect loop …). */
export class NonRetryableError extends RequestError {
  readonly status: number | undefined;
  constructor(
    url: string,
    message: string,
    options: { cause?: unknown; status?: number; code?: string } = {},
  ) {
    super(options.code ?? 'NON_RETRYABLE', url, message, options);
    this.status = options.status;
  }
}

/** The page is left out on purpose (robots.txt disallows it, it is not HTML): recorded as skipped. */
export class SkipRequestError extends RequestError {
  constructor(url: string, reason: string) {
    super('SKIP_REQUEST', url, reason);
  }
}

/** No response within the request timeout (retried). */
export class RequestTimeoutError extends RetryRequestError {
  constructor(url: string, timeoutMs: number, options?: { cause?: unknown }) {
    super(url, `no complete response within ${timeoutMs} ms; raise timeoutMs if the site is just slow`, {
      ...options,
      code: 'REQUEST_TIMEOUT',
    });
  }
}

/** The browser (or the page's renderer) crashed or hung under this request (retried on a fresh one). */
export class BrowserCrashedError extends RetryRequestError {
  constructor(url: string, what: string, options?: { cause?: unknown }) {
    super(url, `${what}; the browser was restarted and the request is retried`, {
      ...options,
      code: 'BROWSER_CRASHED',
    });
  }
}

/** The page is larger than `maxPageBytes` (not retried). */
export class PageTooLargeError extends NonRetryableError {
  constructor(url: string, bytes: number, maxPageBytes: number) {
    super(
      url,
      `the page is larger than maxPageBytes (${bytes >= maxPageBytes ? 'over ' : ''}${maxPageBytes} bytes, ` +
        `received at least ${bytes}); raise maxPageBytes to crawl it`,
      { code: 'PAGE_TOO_LARGE' },
    );
  }
}

/** More redirects than `maxRedirects`, or a redirect loop (not retried). */
export class RedirectLimitError extends NonRetryableError {
  constructor(url: string, message: string, options?: { cause?: unknown }) {
    super(url, message, { ...options, code: 'REDIRECT_LIMIT' });
  }
}

/** No Chromium to drive; the message says how to install one. */
export class BrowserNotFoundError extends DlpipeError {
  constructor(message: string) {
    super('BROWSER_NOT_FOUND', message);
  }
}

/** The whole crawl cannot go on (browser will not start, storage broken …). */
export class CrawlError extends DlpipeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('CRAWL', message, options);
  }
}

/** A job file (or TS job definition) that does not fit the schema; `issues` lists every problem. */
export class JobFileError extends DlpipeError {
  readonly file: string;
  readonly issues: string[];
  constructor(file: string, issues: string[]) {
    const list = issues.length === 1 ? ` ${issues[0]}` : `\n  ${issues.join('\n  ')}`;
    super('JOB_FILE', `${file}:${list}`);
    this.file = file;
    this.issues = issues;
  }
}

/** A job is already running elsewhere (another process holds its run). */
export class JobBusyError extends DlpipeError {
  constructor(message: string) {
    super('JOB_BUSY', message);
  }
}

/** A run, job or file asked for that does not exist, or storage that cannot be used. */
export class StorageError extends DlpipeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('STORAGE', message, options);
  }
}
