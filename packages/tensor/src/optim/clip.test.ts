import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { OptionsError } from '@dlpipe/core';
import { SCALE_MANY, SUM_SQUARES, tf, useBackend } from '@dlpipe/engine';
import { assertSameOnBackends, expectNative, nativeSkip, seeded } from '@dlpipe/engine/testing';
import { clipByGlobalNorm, globalNorm } from './clip.js';

before(async () => {
  await tf.setBackend('cpu');
});

it('global norm over all gradients, and scaling to maxNorm (PyTorch clip_grad_norm_)', () => {
  const grads = { a: tf.tensor1d([3, 0]), b: tf.tensor2d([[0, 4]]) }; // ‖g‖ = 5
  assert.equal(globalNorm(Object.values(grads)).dataSync()[0], 5);
  const r = clipByGlobalNorm(grads, 1);
  assert.equal(r.norm, 5);
  assert.ok(r.clipped);
  assert.deepEqual(
    Array.from(r.grads.a!.dataSync()).map((v) => +v.toFixed(5)),
    [0.6, 0],
  );
  assert.deepEqual(
    Array.from(r.grads.b!.dataSync()).map((v) => +v.toFixed(5)),
    [0, 0.8],
  );
});

it('returns the same tensors when the norm is within bounds', () => {
  const grads = { a: tf.tensor1d([0.3, 0.4]) };
  const r = clipByGlobalNorm(grads, 1);
  assert.equal(r.clipped, false);
  assert.equal(r.grads, grads);
  assert.throws(() => clipByGlobalNorm(grads, 0), /maxNorm must be > 0/);
  assert.throws(() => clipByGlobalNorm(grads, 0), OptionsError);
});

describe('on the native backend: one kernel per pass', { skip: nativeSkip }, () => {
  it('equals the cpu backend on many odd-sized gradients, with DlpipeSumSquares and DlpipeScaleMany', async () => {
    const shapes = [[1], [3, 5], [7, 1, 2], [300, 257], [1]];
    const run = () => {
      const grads = Object.fromEntries(shapes.map((s, i) => [`w${i}`, seeded(s, i + 1, 'float32', 2)]));
      const r = clipByGlobalNorm(grads, 0.5);
      assert.ok(r.clipped);
      return [tf.scalar(r.norm), globalNorm(Object.values(grads)), ...Object.values(r.grads)];
    };
    const counts = await expectNative([SUM_SQUARES, SCALE_MANY], () => assertSameOnBackends(run, 1e-5));
    assert.equal(counts.Square, undefined);
    assert.equal(counts[SCALE_MANY]!.native, 1);
    await useBackend('cpu');
  });
});
