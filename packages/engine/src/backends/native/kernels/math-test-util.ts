/**
 * Test helpers of the math kernels: run a computation under tfjs's original gradient of a
 * kernel (temporarily put back), to check that dlpipe's gradient overrides give the same values.
 *
 *   const ours = await valuesOn('cpu', f);
 *   const theirs = await withGradient(tfjsActivationGrad('Relu')!, () => valuesOn('cpu', f));
 */
import assert from 'node:assert/strict';
import { type BackendName, useBackend } from '../../../backend.js';
import { BackendError } from '../../../errors.js';
import * as tf from '../../../tf.js';

/** Runs `fn` while `config` is the registered gradient of its kernel, then restores the current one. */
export async function withGradient<T>(config: tf.GradConfig, fn: () => Promise<T>): Promise<T> {
  const current = tf.getGradient(config.kernelName);
  if (!current) {
    throw new BackendError(
      `no gradient registered for ${config.kernelName}; register the native kernels first`,
      {
        exitCode: 1,
      },
    );
  }
  tf.registerGradient(config);
  try {
    return await fn();
  } finally {
    tf.registerGradient(current);
  }
}

/** The values of `fn`'s outputs on `backend`, as plain arrays. */
export async function valuesOn(backend: BackendName, fn: () => tf.Tensor | tf.Tensor[]): Promise<number[][]> {
  await useBackend(backend);
  const outs = tf.tidy(() => [fn()].flat());
  const values = outs.map((t) => Array.from(t.dataSync()));
  tf.dispose(outs);
  return values;
}

/**
 * Asserts that `fn` gives the same values with dlpipe's gradient and with `original` on
 * `backend`: bit-identical for rtol 0, else within rtol of the largest magnitude.
 */
export async function assertSameAsTfjsGradient(
  original: tf.GradConfig,
  backend: BackendName,
  fn: () => tf.Tensor | tf.Tensor[],
  rtol = 0,
): Promise<void> {
  const ours = await valuesOn(backend, fn);
  const theirs = await withGradient(original, () => valuesOn(backend, fn));
  const what = `${original.kernelName} gradient on ${backend}`;
  if (rtol === 0) return assert.deepEqual(ours, theirs, `${what} differs from tfjs's own`);
  assert.equal(ours.length, theirs.length);
  theirs.forEach((t, i) => {
    const o = ours[i]!;
    const scale = t.reduce((m, v) => Math.max(m, Math.abs(v)), 1);
    t.forEach((v, j) => {
      assert.ok(Math.abs(v - o[j]!) <= rtol * scale, `${what}[${i}][${j}]: tfjs ${v}, ours ${o[j]}`);
    });
  });
}
