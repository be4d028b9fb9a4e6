import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { tf } from '@dlpipe/tensor';
import { boxIou } from './box-iou.js';
import { DetectionError } from './errors.js';
import { assertClose } from './fixtures.js';

before(async () => {
  await tf.setBackend('cpu');
});

describe('boxIou', () => {
  it('equals torchvision.ops.box_iou (boxes.reference.py)', () => {
    const a = tf.tensor2d([
      [0, 0, 2, 2],
      [1, 1, 3, 4],
      [5, 5, 6, 6],
    ]);
    const b = tf.tensor2d([
      [1, 1, 2, 2],
      [0, 0, 0, 0],
      [0.5, 0, 2.5, 3],
    ]);
    const iou = boxIou(a, b);
    assert.deepEqual(iou.shape, [3, 3]);
    // torchvision 0.14 ops.box_iou; row 0 by hand: 1/4, 0, 3/(4+6−3) = 0.4285714
    assertClose(iou, [0.25, 0, 0.4285714, 0.1666667, 0, 0.3333333, 0, 0, 0]);
  });

  it('handles empty sets', () => {
    assert.deepEqual(boxIou(tf.zeros([0, 4]) as tf.Tensor2D, tf.tensor2d([[0, 0, 1, 1]])).shape, [0, 1]);
  });

  it('rejects negative widths, NaN and wrong shapes with a DetectionError', () => {
    const ok = tf.tensor2d([[0, 0, 1, 1]]);
    assert.throws(
      () =>
        boxIou(
          tf.tensor2d([
            [0, 0, 1, 1],
            [2, 0, 1, 1],
          ]),
          ok,
        ),
      (e: unknown) =>
        e instanceof DetectionError &&
        /boxIou a: row 1 is \[2, 0, 1, 1\] with a negative width/.test(e.message),
    );
    assert.throws(
      () => boxIou(ok, tf.tensor2d([[0, Number.NaN, 1, 1]])),
      (e: unknown) => e instanceof DetectionError && /row 0 holds NaN/.test(e.message),
    );
    assert.throws(
      () => boxIou(ok, tf.zeros([2, 3]) as tf.Tensor2D),
      (e: unknown) => e instanceof DetectionError && /received shape \[2, 3\]/.test(e.message),
    );
  });

  it('leaks no tensors', () => {
    const a = tf.tensor2d([[0, 0, 1, 1]]);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) boxIou(a, a).dispose();
    assert.equal(tf.memory().numTensors, before);
  });
});
