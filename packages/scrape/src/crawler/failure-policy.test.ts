import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NonRetryableError, RequestTimeoutError, RetryRequestError, SkipRequestError } from '../errors.js';
import { decideFailure } from './failure-policy.js';
import { withDeadline } from './waker.js';

const o = { maxRetries: 2, maxRetryAfterMs: 10_000, backoff: { baseMs: 1000, maxMs: 60_000 } };
const url = 'http://a.io/x';

describe('decideFailure', () => {
  it('retries with backoff (random 0 → half the ceiling) until maxRetries, then fails', () => {
    const e = new RetryRequestError(url, 'HTTP 503', { status: 503 });
    assert.deepEqual(
      decideFailure({ attempts: 0 }, e, o, 100, () => 0),
      {
        action: 'retry',
        message: `${url}: HTTP 503`,
        status: 503,
        notBefore: 100 + 500,
        pauseHostUntil: undefined,
      },
    );
    assert.equal(
      (decideFailure({ attempts: 1 }, e, o, 100, () => 1) as { notBefore: number }).notBefore,
      100 + 2000,
    );
    assert.deepEqual(decideFailure({ attempts: 2 }, e, o, 100), {
      action: 'fail',
      message: `${url}: HTTP 503 (after 3 attempts)`,
      status: 503,
    });
    assert.equal(decideFailure({ attempts: 0 }, new RequestTimeoutError(url, 5), o, 0).action, 'retry');
  });

  it('waits at least Retry-After and pauses the host; too long a Retry-After fails', () => {
    const e = new RetryRequestError(url, 'HTTP 429', { status: 429, retryAfterMs: 3000 });
    const d = decideFailure({ attempts: 0 }, e, o, 100, () => 1);
    assert.deepEqual(
      [d.action, (d as { notBefore: number }).notBefore, (d as { pauseHostUntil: number }).pauseHostUntil],
      ['retry', 3100, 3100],
    );
    const far = new RetryRequestError(url, 'HTTP 429', { retryAfterMs: 86_400_000 });
    assert.match(
      decideFailure({ attempts: 0 }, far, o, 0).message,
      /Retry-After is longer than maxRetryAfterMs \(10000 ms\)/,
    );
  });

  it('never retries NonRetryableError; skips SkipRequestError', () => {
    assert.equal(
      decideFailure({ attempts: 0 }, new NonRetryableError(url, 'HTTP 404', { status: 404 }), o, 0).action,
      'fail',
    );
    assert.deepEqual(decideFailure({ attempts: 0 }, new SkipRequestError(url, 'robots.txt'), o, 0), {
      action: 'skip',
      message: `${url}: robots.txt`,
      status: undefined,
    });
  });
});

describe('withDeadline', () => {
  it('passes results through and turns a hang into the error onTimeout makes', async () => {
    assert.equal(await withDeadline(Promise.resolve(7), 1000, async () => new Error('no')), 7);
    let cleaned = false;
    const hang = new Promise<number>(() => undefined);
    await assert.rejects(
      withDeadline(hang, 20, async () => {
        cleaned = true;
        return new Error('hung');
      }),
      /hung/,
    );
    assert.ok(cleaned);
  });
});
