import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { OptionsError } from '@dlpipe/core';
import { tf } from '@dlpipe/engine';
import { ShapeMismatchError } from '../errors.js';
import { assertClose } from '../test-utils/close.js';
import { binaryCrossEntropy, huber, l1, l2Penalty, maskedMean, mse, softmaxCrossEntropy } from './losses.js';

before(async () => {
  await tf.setBackend('cpu');
});

const num = (t: tf.Tensor) => {
  const v = t.dataSync()[0]!;
  t.dispose();
  return v;
};

describe('softmaxCrossEntropy', () => {
  // logits [1,2,3] → softmax = e^x/Σ: log-sum-exp = 3.40760596; CE for class 2 = 3.40760596 - 3.
  it('matches the hand-computed value for class ids and one-hot labels', () => {
    const logits = tf.tensor2d([
      [1, 2, 3],
      [1, 2, 3],
    ]);
    assertClose(
      num(softmaxCrossEntropy(logits, tf.tensor1d([2, 0], 'int32'))),
      (0.40760596 + 2.40760596) / 2,
    );
    assertClose(num(softmaxCrossEntropy(logits, tf.oneHot(tf.tensor1d([2, 0], 'int32'), 3))), 1.40760596);
  });
  it('applies label smoothing as (1-ε)·onehot + ε/C', () => {
    const logits = tf.tensor2d([[1, 2, 3]]);
    const logp = [1 - 3.40760596, 2 - 3.40760596, 3 - 3.40760596];
    const eps = 0.1;
    const target = [eps / 3, eps / 3, 1 - eps + eps / 3];
    const expected = -target.reduce((s, t, i) => s + t * logp[i]!, 0);
    assertClose(
      num(softmaxCrossEntropy(logits, tf.tensor1d([2], 'int32'), { labelSmoothing: eps })),
      expected,
    );
  });
  it('averages over unmasked entries only (padding tokens)', () => {
    const logits = tf.tensor3d([
      [
        [1, 2, 3],
        [0, 0, 0],
      ],
    ]);
    const labels = tf.tensor2d([[2, 1]], [1, 2], 'int32');
    const masked = num(softmaxCrossEntropy(logits, labels, { mask: tf.tensor2d([[1, 0]]) }));
    assertClose(masked, 0.40760596);
  });
  it('rejects labels of the wrong shape with a message naming both shapes', () => {
    assert.throws(
      () => softmaxCrossEntropy(tf.zeros([2, 3]), tf.zeros([2, 4])),
      /labels must be class ids of shape \[2\] or one-hot of shape \[2,3\], got \[2,4\]/,
    );
    assert.throws(() => softmaxCrossEntropy(tf.zeros([2, 3]), tf.zeros([2, 4])), ShapeMismatchError);
    assert.throws(
      () => softmaxCrossEntropy(tf.zeros([2, 3]), tf.zeros([2, 3]), { mask: tf.ones([3]) }),
      /mask shape \[3\] must equal the per-example loss shape \[2\]/,
    );
    assert.throws(
      () => softmaxCrossEntropy(tf.zeros([2, 3]), tf.zeros([2]), { labelSmoothing: 1 }),
      OptionsError,
    );
  });
});

describe('regression losses', () => {
  const yHat = tf.tensor1d([0, 0.5, 3, -2]);
  const y = tf.tensor1d([0, 0, 0, 0]);
  it('huber: ½r² inside δ, δ(|r|-½δ) outside', () => {
    // r = 0, 0.5, 3, -2 with δ = 1: 0, 0.125, 2.5, 1.5 → mean 1.03125
    assertClose(num(huber(yHat, y)), (0 + 0.125 + 2.5 + 1.5) / 4);
    // δ = 2: 0, 0.125, 2·(3-1)=4, ½·4=2 → mean 1.53125
    assertClose(num(huber(yHat, y, { delta: 2 })), (0 + 0.125 + 4 + 2) / 4);
  });
  it('mse and l1', () => {
    assertClose(num(mse(yHat, y)), (0.25 + 9 + 4) / 4);
    assertClose(num(l1(yHat, y)), (0.5 + 3 + 2) / 4);
  });
  it('refuses mismatched shapes', () => {
    assert.throws(() => mse(tf.zeros([3]), tf.zeros([4])), /prediction shape \[3\] and target shape \[4\]/);
    assert.throws(() => l1(tf.zeros([3]), tf.zeros([3, 1])), ShapeMismatchError);
    assert.throws(() => huber(yHat, y, { delta: 0 }), /delta must be > 0/);
    assert.throws(() => huber(yHat, y, { delta: 0 }), OptionsError);
  });
});

describe('binaryCrossEntropy', () => {
  it('from logits equals the probability form', () => {
    const z = tf.tensor1d([-2, 0.3, 4]);
    const t = tf.tensor1d([0, 1, 1]);
    const p = [-2, 0.3, 4].map((v) => 1 / (1 + Math.exp(-v)));
    const expected = -(Math.log(1 - p[0]!) + Math.log(p[1]!) + Math.log(p[2]!)) / 3;
    assertClose(num(binaryCrossEntropy(z, t)), expected);
    assertClose(num(binaryCrossEntropy(tf.sigmoid(z), t, { fromLogits: false })), expected, 1e-5);
  });
  it('is finite for extreme logits', () => {
    const v = num(binaryCrossEntropy(tf.tensor1d([1000, -1000]), tf.tensor1d([0, 1])));
    assertClose(v, 1000, 1e-6);
  });
});

describe('penalties and masked mean', () => {
  it('l2Penalty = λ/2·Σw²', () => {
    assertClose(num(l2Penalty([tf.tensor1d([1, 2]), tf.tensor1d([3])], 0.1)), 0.05 * 14);
  });
  it('maskedMean of an all-zero mask is 0, not NaN', () => {
    assert.equal(num(maskedMean(tf.tensor1d([1, 2]), tf.tensor1d([0, 0]))), 0);
  });
});
