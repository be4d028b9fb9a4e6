/**
 * How a navigation's failure maps to a crawl outcome when Chromium replaced an HTTP error page by
 * its own (Playwright: "interrupted by another navigation to chrome-error://…"): the status the
 * page guard saw decides, as for a normal response.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NonRetryableError, RetryRequestError } from '../errors.js';
import { errorPageStatus, statusError } from './visit-page.js';

const interrupted = new Error(
  'page.goto: Navigation to "http://127.0.0.1:1/flaky/b" is interrupted by another navigation to "chrome-error://chromewebdata/"',
);

describe('visitPage outcomes', () => {
  it("takes the guard's status when Chromium navigated to its error page", () => {
    assert.equal(errorPageStatus(interrupted, 500), 500);
    assert.equal(errorPageStatus(interrupted, 404), 404);
  });
  it('leaves every other failure as it is', () => {
    assert.equal(errorPageStatus(interrupted, 200), undefined, 'a 2xx main response: a real interruption');
    assert.equal(errorPageStatus(interrupted, undefined), undefined, 'no response seen');
    assert.equal(errorPageStatus(new Error('net::ERR_CONNECTION_REFUSED'), 500), undefined);
  });
  it('retries 429 and 5xx, fails other 4xx at once, with the status in the message', () => {
    const e500 = statusError('http://x/', 500, 'Internal Server Error');
    assert.ok(e500 instanceof RetryRequestError);
    assert.match(e500.message, /HTTP 500 Internal Server Error/);
    const e429 = statusError('http://x/', 429, 'Too Many Requests', 2000);
    assert.ok(e429 instanceof RetryRequestError);
    assert.match(e429.message, /HTTP 429 Too Many Requests, Retry-After 2 s/);
    const e404 = statusError('http://x/', 404, 'Not Found');
    assert.ok(e404 instanceof NonRetryableError);
    assert.match(e404.message, /HTTP 404 Not Found \(4xx other than 429 is not retried\)/);
  });
});
