/**
 * d2l's noisy sine: seeded and deterministic, t = 1..T, and noise of the asked spread (the
 * residual x_t − sin(0.01 t) has mean ≈ 0 and variance ≈ 0.2² = 0.04 over 1,000 draws).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkSeries, sineSeries } from './sine-series.js';
import { TimeSeriesError } from './timeseries-error.js';

describe('sineSeries (d2l §9.1)', () => {
  it('is deterministic for a seed, and another seed gives other noise', () => {
    const a = sineSeries({ seed: 7 });
    assert.deepEqual(sineSeries({ seed: 7 }), a);
    assert.notDeepEqual(sineSeries({ seed: 8 }).x, a.x);
    assert.equal(a.x.length, 1000);
    assert.deepEqual(a.time.slice(0, 3), [1, 2, 3]);
    assert.equal(a.time.at(-1), 1000);
  });

  it('is sin(0.01 t) plus N(0, 0.2²) noise', () => {
    const { time, x } = sineSeries({ seed: 1 });
    const r = x.map((v, i) => v - Math.sin(0.01 * time[i]!));
    const mean = r.reduce((a, b) => a + b, 0) / r.length;
    const variance = r.reduce((a, b) => a + (b - mean) ** 2, 0) / r.length;
    // 1,000 draws: the mean's std is 0.2/√1000 = 0.0063, the variance's 0.04·√(2/1000) = 0.0018 (4 std below).
    assert.ok(Math.abs(mean) < 0.025, `mean ${mean}`);
    assert.ok(Math.abs(variance - 0.04) < 0.0072, `variance ${variance}`);
    const clean = sineSeries({ T: 5, noise: 0 });
    assert.deepEqual(
      clean.x,
      [1, 2, 3, 4, 5].map((t) => Math.sin(0.01 * t)),
    );
  });

  it('refuses bad options and series with a TimeSeriesError', () => {
    assert.throws(
      () => sineSeries({ T: 1 }),
      (e) => e instanceof TimeSeriesError && /T/.test(e.message),
    );
    assert.throws(() => sineSeries({ noise: -1 }), TimeSeriesError);
    assert.throws(() => checkSeries({ time: [1, 2], x: [1] }), /2 times and 1 values/);
    assert.throws(() => checkSeries({ time: [1, 2], x: [1, Number.NaN] }), /NaN at index 1/);
  });
});
