/** Lag features by hand: T − τ examples, row i = x_i … x_{i+τ−1}, label x_{i+τ} (d2l's layout). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lagFeatures } from './lag-features.js';
import { TimeSeriesError } from './timeseries-error.js';

describe('lagFeatures (d2l §9.1)', () => {
  it('gives T − τ examples of the τ values before each label', () => {
    const x = [10, 11, 12, 13, 14, 15, 16];
    assert.deepEqual(lagFeatures(x, 4), {
      features: [
        [10, 11, 12, 13],
        [11, 12, 13, 14],
        [12, 13, 14, 15],
      ],
      labels: [14, 15, 16],
    });
    assert.deepEqual(lagFeatures(x, 1).features.length, 6);
    const big = lagFeatures(
      Array.from({ length: 1000 }, (_, i) => i),
      4,
    );
    assert.equal(big.features.length, 996);
    assert.deepEqual(big.features[995], [995, 996, 997, 998]);
    assert.equal(big.labels[995], 999);
  });

  it('refuses a τ below 1 or a series too short for one example', () => {
    assert.throws(
      () => lagFeatures([1, 2, 3], 0),
      (e) => e instanceof TimeSeriesError && /≥ 1, got 0/.test(e.message),
    );
    assert.throws(() => lagFeatures([1, 2, 3], 2.5), TimeSeriesError);
    assert.throws(() => lagFeatures([1, 2, 3, 4], 4), /4 values has no example with tau = 4/);
  });
});
