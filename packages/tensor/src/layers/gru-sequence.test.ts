/**
 * `gruSequence` on the native backend (the sequence kernels, asserted by `expectNative`) against
 * the same cell as tf ops on the cpu backend: all hidden states and the gradients of xp, h0 and wh
 * under an arbitrary upstream gradient, on odd sizes (1 step, batch 1, H not a multiple of 8,
 * H = 256 as d2l's char-LM); a hand-computed one-unit case; bad shapes; flat tensor counts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GRU_SEQUENCE, GRU_SEQUENCE_GRAD, tf, useBackend } from '@dlpipe/engine';
import { assertSameOnBackends, expectNative, nativeSkip, seeded } from '@dlpipe/engine/testing';
import { ShapeMismatchError } from '../errors.js';
import { gruSequence } from './gru-sequence.js';

const skip = nativeSkip;

/** [T, B, H]: one step, batch 1, odd H, several steps, the char-LM's width. */
const cases: [number, number, number][] = [
  [1, 1, 1],
  [1, 3, 5],
  [4, 1, 7],
  [6, 5, 13],
  [35, 4, 256],
];

function run(T: number, B: number, H: number): tf.Tensor[] {
  const xp = seeded([T * B, 3 * H], 1, 'float32', 1.5);
  const h0 = seeded([B, H], 2);
  const wh = seeded([H, 3 * H], 3, 'float32', 1 / Math.sqrt(H));
  const dy = seeded([T * B, H], 4);
  const f = (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) =>
    tf.sum(tf.mul(gruSequence(a as tf.Tensor2D, b as tf.Tensor2D, c as tf.Tensor2D, T), dy)) as tf.Scalar;
  return [
    gruSequence(xp as tf.Tensor2D, h0 as tf.Tensor2D, wh as tf.Tensor2D, T),
    ...tf.grads(f)([xp, h0, wh]),
  ];
}

describe('gruSequence', { skip }, () => {
  for (const [T, B, H] of cases) {
    it(`T ${T}, B ${B}, H ${H}: states and gradients equal the tf-op cell's`, async () => {
      await expectNative([GRU_SEQUENCE, GRU_SEQUENCE_GRAD], () =>
        assertSameOnBackends(() => run(T, B, H), 1e-4, `gru T${T} B${B} H${H}`),
      );
    });
  }

  it('one unit by hand', async () => {
    // xp = (0, 0, 1), h0 = 0.5, wh = 0: z = r = σ(0) = 0.5, H̃ = tanh(1), H' = 0.25 + 0.5·tanh(1)
    for (const backend of ['native', 'cpu'] as const) {
      await useBackend(backend);
      const h = gruSequence(tf.tensor2d([[0, 0, 1]]), tf.tensor2d([[0.5]]), tf.zeros([1, 3]), 1);
      assert.ok(Math.abs(h.dataSync()[0]! - (0.25 + 0.5 * Math.tanh(1))) < 1e-6, backend);
      h.dispose();
    }
  });

  it('says which shape is wrong', async () => {
    await useBackend('native');
    const h0 = tf.zeros([2, 4]) as tf.Tensor2D;
    assert.throws(
      () => gruSequence(tf.zeros([6, 12]) as tf.Tensor2D, h0, tf.zeros([4, 8]) as tf.Tensor2D, 3),
      (e: Error) => e instanceof ShapeMismatchError && /wh \[4,8\]/.test(e.message),
    );
    assert.throws(
      () => gruSequence(tf.zeros([5, 12]) as tf.Tensor2D, h0, tf.zeros([4, 12]) as tf.Tensor2D, 3),
      /expected xp \[steps·B, 3H\] = \[6, 12\]/,
    );
    assert.throws(
      () => gruSequence(tf.zeros([6, 12]) as tf.Tensor2D, h0, tf.zeros([4, 12]) as tf.Tensor2D, 0),
      /steps/,
    );
  });

  it('leaves no tensors behind across training steps', async () => {
    await useBackend('native');
    const wh = tf.variable(seeded([8, 24], 3, 'float32', 0.3));
    const xp = seeded([10 * 2, 24], 1);
    const h0 = tf.zeros([2, 8]) as tf.Tensor2D;
    const opt = tf.train.sgd(0.1);
    const step = () =>
      opt.minimize(
        () => tf.sum(tf.square(gruSequence(xp as tf.Tensor2D, h0, wh as tf.Tensor2D, 10))) as tf.Scalar,
      );
    step();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) step();
    assert.equal(tf.memory().numTensors, before);
    tf.dispose([wh, xp, h0]);
    opt.dispose();
  });
});
