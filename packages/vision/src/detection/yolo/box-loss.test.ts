import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { tf } from '@dlpipe/tensor';
import { DetectionError } from '../boxes/errors.js';
import { assertClose } from '../boxes/fixtures.js';
import { completeBoxIouLoss, generalizedBoxIouLoss, stopGradient } from './box-loss.js';

before(async () => {
  await tf.setBackend('cpu');
});

// torchvision 0.14 ops.generalized_box_iou_loss / complete_box_iou_loss, reduction 'none', and the
// gradient of their sum w.r.t. the first boxes (float64): box-loss.reference.py.
const PRED = [
  [0, 0, 2, 2],
  [1, 1, 3, 4],
  [5, 5, 6, 6],
  [0.2, 0.1, 1.9, 2.3],
  [10, 10, 30, 20],
];
const GT = [
  [1, 1, 2, 2],
  [0.5, 0, 2.5, 3],
  [0, 0, 1, 1],
  [0, 0, 2, 2],
  [12, 8, 28, 24],
];
const REF = {
  giou: [0.75, 0.7666667, 1.9444444, 0.303379, 0.5344595],
  giouGrad: [
    [-0.125, -0.125, -0.15625, -0.15625],
    [0.2851852, 0.1981481, 0.1711111, 0.0990741],
    [0.0277778, 0.0277778, -0.0185185, -0.0185185],
    [0.4388635, 0.3769401, -0.4388635, 0.3266701],
    [-0.0332615, 0.0592495, 0.0332615, -0.0592495],
  ],
  ciou: [0.8125, 0.7228464, 1.6944444, 0.2885381, 0.4644946],
  ciouGrad: [
    [-0.15625, -0.15625, -0.109375, -0.109375],
    [0.2076571, 0.193092, 0.1209584, 0.0988184],
    [0.0694444, 0.0694444, -0.0462963, -0.0462963],
    [0.3796957, 0.3979529, -0.3689315, 0.2897384],
    [-0.018605, 0.046098, 0.018605, -0.0491468],
  ],
};

describe('IoU box losses', () => {
  for (const [name, fn, loss, grad] of [
    ['generalizedBoxIouLoss', generalizedBoxIouLoss, REF.giou, REF.giouGrad],
    ['completeBoxIouLoss', completeBoxIouLoss, REF.ciou, REF.ciouGrad],
  ] as const) {
    it(`${name} and its gradient equal torchvision's`, () => {
      const p = tf.tensor2d(PRED);
      const g = tf.tensor2d(GT);
      assertClose(fn(p, g), loss, 1e-5);
      // Row 0 has x2 = x2g: at a tie torch's min/max split the gradient, tfjs's give it to one side.
      const dp = tf.grad((x: tf.Tensor) => fn(x, g, 'sum'))(p);
      assertClose(dp.slice([1, 0]), grad.slice(1).flat(), 1e-5);
      assertClose(fn(p, g, 'mean'), [loss.reduce((a, b) => a + b) / loss.length], 1e-5);
    });
  }

  it('take batched [B, A, 4] boxes', () => {
    const p = tf.tensor3d([PRED.slice(0, 2), PRED.slice(2, 4)]);
    const g = tf.tensor3d([GT.slice(0, 2), GT.slice(2, 4)]);
    assert.deepEqual(completeBoxIouLoss(p, g).shape, [2, 2]);
    assertClose(completeBoxIouLoss(p, g), REF.ciou.slice(0, 4), 1e-5);
  });

  it('stopGradient passes values and no gradient', () => {
    const x = tf.tensor1d([1, 2]);
    assertClose(tf.grad((t: tf.Tensor) => tf.sum(tf.mul(t, stopGradient(t))))(x), [1, 2]);
  });

  it('reject boxes of different shapes with a DetectionError', () => {
    assert.throws(() => completeBoxIouLoss(tf.zeros([2, 4]), tf.zeros([3, 4])), DetectionError);
    assert.throws(() => generalizedBoxIouLoss(tf.zeros([2, 3]), tf.zeros([2, 3])), /\[\.\.\., 4\]/);
  });
});
