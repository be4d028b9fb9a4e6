import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { backoffMs, parseRetryAfter } from './backoff.js';
import { HostGate } from './host-gate.js';

describe('backoffMs', () => {
  it('doubles from baseMs, caps at maxMs, jitters the upper half', () => {
    const o = { baseMs: 500, maxMs: 3000 };
    // ceiling = min(3000, 500·2^(n-1)): 500, 1000, 2000, 3000, 3000
    const ceilings = [500, 1000, 2000, 3000, 3000];
    ceilings.forEach((c, i) => {
      assert.equal(
        backoffMs(i + 1, o, () => 0),
        c / 2,
      );
      assert.equal(
        backoffMs(i + 1, o, () => 1),
        c,
      );
    });
    assert.equal(
      backoffMs(2, o, () => 0.5),
      750,
    );
    const spread = new Set(Array.from({ length: 50 }, () => backoffMs(3, o)));
    assert.ok(spread.size > 10, 'different requests get different delays');
    for (const d of spread) assert.ok(d >= 1000 && d <= 2000, String(d));
  });

  it('parseRetryAfter reads seconds and HTTP dates', () => {
    const now = Date.parse('2030-01-01T00:00:00Z');
    assert.equal(parseRetryAfter('120', now), 120_000);
    assert.equal(parseRetryAfter(' 0 ', now), 0);
    assert.equal(parseRetryAfter('Tue, 01 Jan 2030 00:00:30 GMT', now), 30_000);
    assert.equal(parseRetryAfter('Mon, 31 Dec 2029 00:00:00 GMT', now), 0);
    assert.equal(parseRetryAfter('soon', now), undefined);
    assert.equal(parseRetryAfter(null, now), undefined);
    assert.equal(parseRetryAfter('-5', now), undefined);
  });
});

describe('HostGate', () => {
  it('limits requests in flight per host and spaces their starts by delayMs', () => {
    const g = new HostGate({ maxPerHost: 2, delayMs: 100 });
    assert.equal(g.readyAt('a', 0), 0);
    g.start('a', 0);
    assert.equal(g.readyAt('a', 10), 100);
    g.start('a', 100);
    assert.equal(g.readyAt('a', 150), Number.POSITIVE_INFINITY, 'full');
    assert.equal(g.readyAt('b', 150), 150, 'other hosts are free');
    g.finish('a');
    assert.equal(g.readyAt('a', 150), 200);
    assert.equal(g.nextReadyAfter(150), 200);
  });

  it('navigations claimed apart but delayed by a busy machine are still spaced by the delay', () => {
    const g = new HostGate({ maxPerHost: 4, delayMs: 600 });
    g.start('a', 0);
    g.start('a', 600);
    // both requests only got a browser page at t = 700: the second must wait the full delay
    assert.equal(g.reserve('a', 700), 0);
    assert.equal(g.reserve('a', 700), 600);
    assert.equal(g.readyAt('a', 700), 1900, 'the next claim waits for the last navigation');
  });

  it('Crawl-delay raises the delay, never lowers it; pause holds a host', () => {
    const g = new HostGate({ maxPerHost: 4, delayMs: 100 });
    g.start('a', 0);
    g.finish('a');
    g.setCrawlDelay('a', 2000);
    assert.equal(g.readyAt('a', 1), 2000);
    g.setCrawlDelay('a', 10);
    assert.equal(g.readyAt('a', 1), 100);
    g.pause('a', 5000);
    assert.equal(g.readyAt('a', 1), 5000);
    g.pause('a', 3000);
    assert.equal(g.readyAt('a', 1), 5000, 'a shorter pause does not shorten a longer one');
  });
});
