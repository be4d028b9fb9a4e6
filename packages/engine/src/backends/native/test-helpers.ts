/**
 * Test helpers for native kernels: whether the addon is built, a skip reason for node:test,
 * running the same computation on the cpu and native backends to compare the results, and
 * asserting which path (native code or a fallback to the cpu kernel) the native backend took.
 *
 *   await expectNative('Conv2D', () => assertSameOnBackends(() => tf.conv2d(x, w, 1, 'same')));
 *   await expectFallback('BatchMatMul', 'dtype', () => assertSameOnBackends(() => tf.matMul(i, j)));
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { useBackend } from '../../backend.js';
import * as tf from '../../tf.js';
import { ADDON_PATH } from './addon.js';
import {
  type DispatchCounts,
  diffDispatchCounts,
  dispatchCounts,
  type FallbackReason,
} from './dispatch-counts.js';

export function nativeAvailable(): boolean {
  return existsSync(ADDON_PATH);
}

/** node:test `skip` option: skip only when the addon is absent and CI does not require it. */
export const nativeSkip: string | false =
  !nativeAvailable() && !process.env.DLPIPE_REQUIRE_NATIVE ? 'native addon not built' : false;

type Out = tf.Tensor | tf.Tensor[];

async function on(
  backend: 'cpu' | 'native',
  fn: () => Out,
): Promise<{ shape: number[]; dtype: string; v: number[] }[]> {
  await useBackend(backend);
  const outs = tf.tidy(() => [fn()].flat());
  const res = outs.map((t) => ({ shape: t.shape, dtype: t.dtype, v: Array.from(t.dataSync()) }));
  tf.dispose(outs);
  return res;
}

/**
 * Runs `fn` on cpu and on native (inputs must be created inside `fn` or be backend-independent:
 * tensors made on one backend are moved by tfjs when read on another) and asserts equal shapes,
 * dtypes and values within `rtol` relative to the largest magnitude of the cpu result.
 */
export async function assertSameOnBackends(fn: () => Out, rtol = 1e-5, what = 'result'): Promise<void> {
  const a = await on('cpu', fn);
  const b = await on('native', fn);
  assert.equal(b.length, a.length, `${what}: number of outputs`);
  a.forEach((x, i) => {
    const y = b[i]!;
    assert.deepEqual(y.shape, x.shape, `${what}[${i}] shape`);
    assert.equal(y.dtype, x.dtype, `${what}[${i}] dtype`);
    let scale = 1;
    for (const v of x.v) if (Number.isFinite(v) && Math.abs(v) > scale) scale = Math.abs(v);
    x.v.forEach((v, j) => {
      const w = y.v[j]!;
      if (Number.isNaN(v)) assert.ok(Number.isNaN(w), `${what}[${i}][${j}]: cpu NaN, native ${w}`);
      else if (!Number.isFinite(v)) assert.equal(w, v, `${what}[${i}][${j}]`);
      else
        assert.ok(
          Math.abs(v - w) <= rtol * scale,
          `${what}[${i}][${j}]: cpu ${v}, native ${w} (rtol ${rtol})`,
        );
    });
  });
}

/** A seeded float tensor in [-1, 1) (LCG; independent of the global RNG). */
export function seeded(
  shape: number[],
  seed = 1,
  dtype: 'float32' | 'int32' = 'float32',
  range = 1,
): tf.Tensor {
  let s = seed >>> 0 || 1;
  const n = shape.reduce((a, b) => a * b, 1);
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    v[i] = ((s / 4294967296) * 2 - 1) * range;
  }
  return dtype === 'int32' ? tf.tensor(Int32Array.from(v, Math.round), shape, 'int32') : tf.tensor(v, shape);
}

/** The native backend's dispatches while `fn` runs (kernels with none are left out). */
export async function withDispatchCounts(fn: () => unknown): Promise<DispatchCounts> {
  const before = dispatchCounts();
  await fn();
  return diffDispatchCounts(dispatchCounts(), before);
}

function describeCounts(counts: DispatchCounts): string {
  const parts = Object.entries(counts)
    .filter(([, c]) => c.native + c.fallback > 0)
    .map(([k, c]) => `${k} native ${c.native} fallback ${c.fallback} ${JSON.stringify(c.reasons)}`);
  return parts.length > 0 ? parts.join('; ') : 'no native kernel dispatched';
}

/** Options of `expectNative`. */
export interface ExpectNativeOptions {
  /** Other kernels that may fall back during `fn` (default none: any fallback fails). */
  allowFallback?: string[];
}

/**
 * Runs `fn` and asserts that each of `kernels` ran native code at least once on the native backend
 * and never fell back, and that no other native kernel fell back (unless in `allowFallback`; the
 * deliberate 'no-copy' fallbacks of other kernels, such as a Cast to the same dtype, are allowed).
 * Returns the counts for further checks.
 */
export async function expectNative(
  kernels: string | string[],
  fn: () => unknown,
  options: ExpectNativeOptions = {},
): Promise<DispatchCounts> {
  const counts = await withDispatchCounts(fn);
  const seen = describeCounts(counts);
  for (const k of [kernels].flat()) {
    const c = counts[k];
    assert.ok(c && c.native > 0, `expected native ${k} dispatches, got none (${seen})`);
    assert.equal(c.fallback, 0, `expected no fallback of ${k} (${seen})`);
  }
  const allowed = new Set(options.allowFallback ?? []);
  for (const [k, c] of Object.entries(counts)) {
    const handedOff = c.fallback - (c.reasons['no-copy'] ?? 0);
    if (handedOff > 0 && !allowed.has(k)) assert.fail(`unexpected fallback of ${k} (${seen})`);
  }
  return counts;
}

/**
 * Runs `fn` and asserts that `kernel` fell back to the cpu kernel with `reason` on the native backend
 * and never ran native code.
 */
export async function expectFallback(
  kernel: string,
  reason: FallbackReason,
  fn: () => unknown,
): Promise<DispatchCounts> {
  const counts = await withDispatchCounts(fn);
  const c = counts[kernel];
  const seen = describeCounts(counts);
  assert.ok(c && (c.reasons[reason] ?? 0) > 0, `expected ${kernel} to fall back (${reason}) (${seen})`);
  assert.equal(c.native, 0, `expected no native ${kernel} dispatch (${seen})`);
  return counts;
}

/**
 * Runs `fn` and asserts that `kernel` was never dispatched: the tfjs op answered without it (an
 * identity transpose, a concat of one tensor), so a comparison with cpu tests no kernel at all.
 */
export async function expectNoDispatch(kernel: string, fn: () => unknown): Promise<DispatchCounts> {
  const counts = await withDispatchCounts(fn);
  assert.equal(counts[kernel], undefined, `expected no ${kernel} dispatch (${describeCounts(counts)})`);
  return counts;
}
