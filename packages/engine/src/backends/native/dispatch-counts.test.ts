/**
 * The native backend's dispatch counters: native, fallback (with its reason) and cpu counts per
 * kernel, nested kernel calls, reset and diff, and the cost of counting.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { useBackend } from '../../backend.js';
import * as tf from '../../tf.js';
import {
  countedNative,
  diffDispatchCounts,
  dispatchCounts,
  dispatchTotals,
  noteFallback,
  resetDispatchCounts,
} from './dispatch-counts.js';
import { expectFallback, expectNative, nativeSkip, seeded, withDispatchCounts } from './test-helpers.js';

describe('dispatch counters', () => {
  it('a wrapped kernel counts native calls, and fallbacks by reason', () => {
    const calls: string[] = [];
    const k = countedNative('TestKernelA', (args) => {
      if ((args.attrs as { fall?: boolean }).fall) noteFallback('dtype');
      calls.push('a');
      return [];
    });
    const before = dispatchCounts();
    const run = (fall: boolean) => k({ inputs: {}, backend: {} as never, attrs: { fall } });
    run(false);
    run(true);
    run(false);
    const d = diffDispatchCounts(dispatchCounts(), before).TestKernelA;
    assert.deepEqual(d, { native: 2, fallback: 1, cpu: 0, reasons: { dtype: 1 } });
    assert.equal(calls.length, 3);
  });
  it("a fallback inside a nested kernel is the inner kernel's, not the outer's", () => {
    const inner = countedNative('TestInner', () => {
      noteFallback('shape');
      return [];
    });
    const outer = countedNative('TestOuter', (args) => {
      inner(args);
      return [];
    });
    const before = dispatchCounts();
    outer({ inputs: {}, backend: {} as never, attrs: {} });
    const d = diffDispatchCounts(dispatchCounts(), before);
    assert.deepEqual(d.TestOuter, { native: 1, fallback: 0, cpu: 0, reasons: {} });
    assert.deepEqual(d.TestInner, { native: 0, fallback: 1, cpu: 0, reasons: { shape: 1 } });
  });
  it('a kernel that throws is still counted and leaves the outer frame clean', () => {
    const bad = countedNative('TestThrows', () => {
      noteFallback('tfjs-error');
      throw new RangeError('index out of range');
    });
    const before = dispatchCounts();
    assert.throws(() => bad({ inputs: {}, backend: {} as never, attrs: {} }), RangeError);
    const ok = countedNative('TestAfter', () => []);
    ok({ inputs: {}, backend: {} as never, attrs: {} });
    const d = diffDispatchCounts(dispatchCounts(), before);
    assert.equal(d.TestThrows?.fallback, 1);
    assert.deepEqual(d.TestAfter, { native: 1, fallback: 0, cpu: 0, reasons: {} });
  });
  it('counting costs well under a microsecond per dispatch', () => {
    const k = countedNative('TestCost', () => []);
    const args = { inputs: {}, backend: {} as never, attrs: {} };
    const n = 200_000;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) k(args);
    const perCallNs = ((performance.now() - t0) * 1e6) / n;
    assert.ok(perCallNs < 1000, `${perCallNs.toFixed(0)} ns per counted call`);
  });
});

describe('dispatch counters on the native backend', { skip: nativeSkip }, () => {
  it('counts native kernels, fallbacks and cpu-only kernels; reset zeroes them', async () => {
    await useBackend('native');
    resetDispatchCounts();
    tf.tidy(() => {
      tf.matMul(seeded([3, 4], 1), seeded([4, 2], 2)).dataSync();
      tf.matMul(seeded([3, 4], 1, 'int32', 5), seeded([4, 2], 2, 'int32', 5)).dataSync();
      tf.cumsum(seeded([5], 3)).dataSync(); // no native Cumsum: the cpu kernel, counted as cpu
    });
    const c = dispatchCounts();
    assert.deepEqual(c.BatchMatMul, { native: 1, fallback: 1, cpu: 0, reasons: { dtype: 1 } });
    assert.equal(c.Cumsum?.cpu, 1);
    const totals = dispatchTotals(c);
    assert.ok(totals.native >= 1 && totals.fallback === 1 && totals.cpu >= 1);
    assert.equal(totals.all, totals.native + totals.fallback + totals.cpu);
    resetDispatchCounts();
    assert.deepEqual(dispatchCounts(), {});
  });
  it('the test helpers see the path: native, fallback with its reason', async () => {
    await useBackend('native');
    await expectNative('Relu', () => tf.tidy(() => tf.relu(seeded([4], 1)).dataSync()));
    await expectFallback('Relu', 'dtype', () =>
      tf.tidy(() => tf.relu(seeded([4], 1, 'int32', 5)).dataSync()),
    );
    await assert.rejects(
      expectNative('Relu', () => tf.tidy(() => tf.relu(seeded([4], 1, 'int32', 5)).dataSync())),
      /expected native Relu dispatches, got none/,
    );
    const counts = await withDispatchCounts(() => tf.tidy(() => tf.add(seeded([2], 1), seeded([2], 2))));
    assert.equal(counts.Add?.native, 1);
  });
});
