import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createScale, linearTicks, logTicks, niceDomain, niceStep } from './scale.js';
import { formatTick } from './tick-format.js';

describe('niceStep', () => {
  it('picks 1, 2 or 5 × 10^k', () => {
    assert.equal(niceStep(0.93, 5), 0.2);
    assert.equal(niceStep(10, 5), 2);
    assert.equal(niceStep(2.34, 5), 0.5);
    assert.equal(niceStep(1000, 10), 100);
  });
});

describe('linear scale', () => {
  it('widens [0, 0.93] to nice ticks 0, 0.2, …, 1', () => {
    const s = createScale({ extent: [0, 0.93], range: [0, 100] });
    assert.deepEqual(s.ticks, [0, 0.2, 0.4, 0.6, 0.8, 1]);
    assert.deepEqual(s.domain, [0, 1]);
    assert.deepEqual(s.minorTicks, []);
  });

  it('maps the domain onto the range, inverted for y', () => {
    const s = createScale({ extent: [0, 0.93], range: [380, 20] });
    assert.equal(s.map(0), 380);
    assert.equal(s.map(1), 20);
    assert.equal(s.map(0.5), 200);
  });

  it('keeps a fixed domain and puts ticks inside it', () => {
    const s = createScale({ extent: [0.1, 0.2], domain: [0, 1], range: [0, 1] });
    assert.deepEqual(s.domain, [0, 1]);
    assert.deepEqual(s.ticks, [0, 0.2, 0.4, 0.6, 0.8, 1]);
  });

  it('gives a constant series a non-degenerate range', () => {
    const [lo, hi] = niceDomain(5, 5);
    assert.ok(lo < 5 && hi > 5, `[${lo}, ${hi}]`);
    const [z0, z1] = niceDomain(0, 0);
    assert.ok(z0 < 0 && z1 > 0);
  });

  it('handles negative extents without float noise', () => {
    assert.deepEqual(linearTicks(-0.3, 0.3, 6), [-0.3, -0.2, -0.1, 0, 0.1, 0.2, 0.3]);
  });

  it('refuses a non-finite extent', () => {
    assert.throws(() => createScale({ extent: [0, Number.NaN], range: [0, 1] }), /finite extent/);
  });
});

describe('log scale', () => {
  it('widens [3, 2500] to whole decades 1 … 10000', () => {
    const s = createScale({ extent: [3, 2500], range: [0, 400], log: true });
    assert.deepEqual(s.ticks, [1, 10, 100, 1000, 10000]);
    assert.deepEqual(s.domain, [1, 10000]);
    assert.equal(s.map(100), 200);
    assert.ok(s.minorTicks.includes(20) && s.minorTicks.includes(9000));
  });

  it('skips decades when there are many', () => {
    // 12 decades for about 3 + 2 ticks: every ceil(12 / 5) = 3rd decade.
    assert.deepEqual(logTicks(1, 1e12, 3), [1, 1e3, 1e6, 1e9, 1e12]);
  });

  it('falls back to linear ticks inside a single decade', () => {
    assert.deepEqual(logTicks(2, 8, 3), [2, 4, 6, 8]);
  });

  it('refuses values <= 0 with a hint', () => {
    assert.throws(
      () => createScale({ extent: [0, 10], range: [0, 1], log: true }),
      /values > 0.*linear axis/,
    );
  });
});

describe('formatTick', () => {
  it('uses the same decimals on every tick', () => {
    const ticks = [0, 0.2, 0.4, 0.6, 0.8, 1];
    assert.deepEqual(
      ticks.map((t) => formatTick(t, ticks, false)),
      ['0.0', '0.2', '0.4', '0.6', '0.8', '1.0'],
    );
    assert.deepEqual(
      [0, 50, 100].map((t) => formatTick(t, [0, 50, 100], false)),
      ['0', '50', '100'],
    );
  });

  it('writes a true minus and exponents for huge values', () => {
    assert.equal(formatTick(-0.5, [-0.5, 0, 0.5], false), '\u22120.5');
    assert.equal(formatTick(2e6, [0, 1e6, 2e6], false), '2e6');
  });

  it('writes decades plainly near 1 and as powers of ten otherwise', () => {
    const near = [0.01, 0.1, 1, 10, 100];
    assert.deepEqual(
      near.map((t) => formatTick(t, near, true)),
      ['0.01', '0.1', '1', '10', '100'],
    );
    const far = [1, 1e3, 1e6];
    assert.deepEqual(
      far.map((t) => formatTick(t, far, true)),
      ['10⁰', '10³', '10⁶'],
    );
    assert.equal(formatTick(1e-5, [1e-5, 1], true), '10⁻⁵');
  });
});
