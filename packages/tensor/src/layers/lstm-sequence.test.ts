/**
 * `lstmSequence` on the native backend (the sequence kernels, asserted by `expectNative`) against
 * the same cell as tf ops on the cpu backend: every step's H and C and the gradients of xp, h0,
 * c0 and wh under arbitrary upstream gradients on both outputs, on odd sizes and d2l's char-LM
 * width; a hand-computed one-unit case; bad shapes; flat tensor counts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LSTM_SEQUENCE, LSTM_SEQUENCE_GRAD, tf, useBackend } from '@dlpipe/engine';
import { assertSameOnBackends, expectNative, nativeSkip, seeded } from '@dlpipe/engine/testing';
import { ShapeMismatchError } from '../errors.js';
import { lstmSequence } from './lstm-sequence.js';

const skip = nativeSkip;

const cases: [number, number, number][] = [
  [1, 1, 1],
  [1, 3, 5],
  [4, 1, 7],
  [6, 5, 13],
  [35, 4, 256],
];

function run(T: number, B: number, H: number): tf.Tensor[] {
  const xp = seeded([T * B, 4 * H], 1, 'float32', 1.5) as tf.Tensor2D;
  const h0 = seeded([B, H], 2) as tf.Tensor2D;
  const c0 = seeded([B, H], 3) as tf.Tensor2D;
  const wh = seeded([H, 4 * H], 4, 'float32', 1 / Math.sqrt(H)) as tf.Tensor2D;
  const dh = seeded([T * B, H], 5);
  const dc = seeded([T * B, H], 6);
  const f = (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor, d: tf.Tensor) => {
    const r = lstmSequence(a as tf.Tensor2D, b as tf.Tensor2D, c as tf.Tensor2D, d as tf.Tensor2D, T);
    return tf.add(tf.sum(tf.mul(r.hs, dh)), tf.sum(tf.mul(r.cs, dc))) as tf.Scalar;
  };
  const { hs, cs } = lstmSequence(xp, h0, c0, wh, T);
  return [hs, cs, ...tf.grads(f)([xp, h0, c0, wh])];
}

describe('lstmSequence', { skip }, () => {
  for (const [T, B, H] of cases) {
    it(`T ${T}, B ${B}, H ${H}: states and gradients equal the tf-op cell's`, async () => {
      await expectNative([LSTM_SEQUENCE, LSTM_SEQUENCE_GRAD], () =>
        assertSameOnBackends(() => run(T, B, H), 1e-4, `lstm T${T} B${B} H${H}`),
      );
    });
  }

  it('one unit by hand', async () => {
    // xp = (0, 0, 1, 0), h0 = 0, c0 = 1, wh = 0: i = f = o = 0.5, C' = 0.5 + 0.5·tanh(1), H' = 0.5·tanh(C')
    for (const backend of ['native', 'cpu'] as const) {
      await useBackend(backend);
      const { hs, cs } = lstmSequence(
        tf.tensor2d([[0, 0, 1, 0]]),
        tf.zeros([1, 1]),
        tf.ones([1, 1]),
        tf.zeros([1, 4]),
        1,
      );
      const c = 0.5 + 0.5 * Math.tanh(1);
      assert.ok(Math.abs(cs.dataSync()[0]! - c) < 1e-6, backend);
      assert.ok(Math.abs(hs.dataSync()[0]! - 0.5 * Math.tanh(c)) < 1e-6, backend);
      tf.dispose([hs, cs]);
    }
  });

  it('says which shape is wrong', async () => {
    await useBackend('native');
    const h0 = tf.zeros([2, 4]) as tf.Tensor2D;
    assert.throws(
      () =>
        lstmSequence(
          tf.zeros([6, 16]) as tf.Tensor2D,
          h0,
          tf.zeros([2, 3]) as tf.Tensor2D,
          tf.zeros([4, 16]) as tf.Tensor2D,
          3,
        ),
      (e: Error) => e instanceof ShapeMismatchError && /c0 \[2,3\]/.test(e.message),
    );
  });

  it('leaves no tensors behind across training steps', async () => {
    await useBackend('native');
    const wh = tf.variable(seeded([8, 32], 3, 'float32', 0.3));
    const xp = seeded([10 * 2, 32], 1) as tf.Tensor2D;
    const h0 = tf.zeros([2, 8]) as tf.Tensor2D;
    const opt = tf.train.sgd(0.1);
    const step = () =>
      opt.minimize(() => tf.sum(tf.square(lstmSequence(xp, h0, h0, wh as tf.Tensor2D, 10).hs)) as tf.Scalar);
    step();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) step();
    assert.equal(tf.memory().numTensors, before);
    tf.dispose([wh, xp, h0]);
    opt.dispose();
  });
});
