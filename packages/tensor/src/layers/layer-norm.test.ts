/**
 * `layerNorm` on the native backend (one kernel each way, asserted by `expectNative`) against tf
 * ops on the cpu backend: values and the gradients of x, gamma and beta on ranks 1–4, one feature,
 * shifted data and the Transformer's [640, 32]; a hand-computed row; bad shapes; flat tensors.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LAYER_NORM, LAYER_NORM_GRAD, tf, useBackend } from '@dlpipe/engine';
import { assertSameOnBackends, expectNative, nativeSkip, seeded } from '@dlpipe/engine/testing';
import { ShapeMismatchError } from '../errors.js';
import { layerNorm } from './layer-norm.js';

const skip = nativeSkip;

const shapes = [[5], [7, 1], [2, 3, 4, 5], [640, 32], [3, 2, 2, 9]];

function run(shape: number[]): tf.Tensor[] {
  const c = shape.at(-1)!;
  const x = seeded(shape, 1, 'float32', 3).add(2); // shifted: the variance is not around 0
  const gamma = seeded([c], 2).add(1) as tf.Tensor1D;
  const beta = seeded([c], 3) as tf.Tensor1D;
  const w = seeded(shape, 4);
  const f = (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) =>
    tf.sum(tf.mul(layerNorm(a, g as tf.Tensor1D, b as tf.Tensor1D, 1e-5), w)) as tf.Scalar;
  return [layerNorm(x, gamma, beta, 1e-5), ...tf.grads(f)([x, gamma, beta])];
}

describe('layerNorm', { skip }, () => {
  for (const s of shapes) {
    it(`x [${s}]: values and gradients equal tf ops`, async () => {
      await expectNative([LAYER_NORM, LAYER_NORM_GRAD], () => assertSameOnBackends(() => run(s), 1e-4));
    });
  }

  it('a row by hand', async () => {
    // x = [1, 3]: mean 2, variance 1 → x̂ = [−1, 1]/√(1 + eps); gamma [2, 1], beta [0, 10]
    for (const backend of ['native', 'cpu'] as const) {
      await useBackend(backend);
      const y = layerNorm(tf.tensor2d([[1, 3]]), tf.tensor1d([2, 1]), tf.tensor1d([0, 10]), 0);
      assert.deepEqual(Array.from(y.dataSync()), [-2, 11], backend);
      y.dispose();
    }
  });

  it('says which shape is wrong; no tensors left across training steps', async () => {
    await useBackend('native');
    assert.throws(
      () => layerNorm(tf.zeros([2, 4]), tf.ones([3]) as tf.Tensor1D, tf.zeros([4]) as tf.Tensor1D),
      (e: Error) => e instanceof ShapeMismatchError && /gamma \[3\]/.test(e.message),
    );
    const g = tf.variable(tf.ones([8]));
    const b = tf.variable(tf.zeros([8]));
    const x = seeded([4, 8], 1);
    const opt = tf.train.sgd(0.1);
    const step = () =>
      opt.minimize(() => tf.sum(tf.square(layerNorm(x, g as tf.Tensor1D, b as tf.Tensor1D))) as tf.Scalar);
    step();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) step();
    assert.equal(tf.memory().numTensors, before);
    tf.dispose([g, b, x]);
    opt.dispose();
  });
});
