/**
 * maskedSoftmax against d2l's `masked_softmax` in PyTorch 1.13 (numbers from
 * attention.reference.py, X = det([2, 2, 4], 0.3) · 4 instead of the book's random input).
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { initBackend, tf } from '@dlpipe/tensor';
import { AttentionError } from './attention-error.js';
import { maskedSoftmax } from './masked-softmax.js';
import { assertClose, attentionReference } from './reference-fixture.js';

before(async () => {
  await initBackend();
});

const ref = attentionReference().maskedSoftmax;
const X = () => tf.tensor3d(ref.X, [2, 2, 4]);

describe('maskedSoftmax (d2l §11.3)', () => {
  it('1-D valid lengths [2, 3] equal PyTorch', () => {
    const Y = maskedSoftmax(X(), tf.tensor1d(ref.lens1d, 'int32'));
    assertClose(Y, ref.out1d, 1e-6);
    // the masked keys get exactly 0 (e^(−1e6 − max) underflows), as printed in d2l
    assert.deepEqual(Array.from(Y.dataSync()).slice(2, 4), [0, 0]);
  });

  it('2-D valid lengths [[1, 3], [2, 4]] equal PyTorch; plain numbers work too', () => {
    assertClose(maskedSoftmax(X(), tf.tensor2d(ref.lens2d)), ref.out2d, 1e-6);
    assertClose(maskedSoftmax(X(), ref.lens2d), ref.out2d, 1e-6);
    assertClose(maskedSoftmax(X(), ref.lens1d), ref.out1d, 1e-6);
  });

  it('without valid lengths it is a softmax over the last axis', () => {
    assertClose(maskedSoftmax(X()), Array.from(tf.softmax(X(), -1).dataSync()), 1e-7);
    assertClose(maskedSoftmax(X(), null), Array.from(tf.softmax(X(), -1).dataSync()), 1e-7);
  });

  it('a valid length of 0 gives uniform weights (every score −1e6, as d2l)', () => {
    assertClose(maskedSoftmax(X(), [0, 4]).slice([0, 0, 0], [1, 1, 4]), [0.25, 0.25, 0.25, 0.25], 1e-7);
  });

  it('no gradient reaches the masked scores', () => {
    const g = tf.grad((x: tf.Tensor) =>
      tf.sum(tf.mul(maskedSoftmax(x, [2, 3]), tf.range(0, 16).reshape([2, 2, 4]))),
    )(X());
    const v = Array.from(g.dataSync());
    assert.deepEqual([v[2], v[3], v[6], v[7], v[11], v[15]], [0, 0, 0, 0, 0, 0]);
    assert.ok(Math.abs(v[0]!) > 1e-3);
  });

  it('refuses valid lengths of the wrong shape and scores that are not 3-D', () => {
    assert.throws(() => maskedSoftmax(X(), [1, 2, 3]), AttentionError);
    assert.throws(
      () => maskedSoftmax(X(), [1, 2, 3]),
      /valid lengths of shape \[3\] do not fit 2 examples of 2 queries; pass 1-D \[2\]/,
    );
    assert.throws(() => maskedSoftmax(X(), tf.zeros([2, 3])), /shape \[2,3\]/);
    assert.throws(() => maskedSoftmax(X(), tf.zeros([2, 2, 1])), AttentionError);
    assert.throws(
      () => maskedSoftmax(tf.zeros([2, 4]), [1, 2]),
      /must be 3-D \[batch, queries, keys\], got shape \[2,4\]/,
    );
  });

  it('leaves no tensors behind', () => {
    const x = X();
    const lens = tf.tensor1d([2, 3]);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) maskedSoftmax(x, lens).dispose();
    for (let i = 0; i < 5; i++)
      maskedSoftmax(x, [
        [1, 3],
        [2, 4],
      ]).dispose();
    assert.throws(() => maskedSoftmax(x, [1, 2, 3]));
    assert.equal(tf.memory().numTensors, before);
    tf.dispose([x, lens]);
  });
});
