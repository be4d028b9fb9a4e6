import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { OptionsError } from '@dlpipe/core';
import { tf } from '@dlpipe/engine';
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
