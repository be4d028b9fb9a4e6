/**
 * d2l §10.7's `sequence_mask` and `MaskedSoftmaxCELoss`: the book's examples (loss of
 * ones(3, 4, 10) with lengths [4, 2, 0] → [2.3026, 1.1513, 0], as PyTorch gives in
 * seq2seq.reference.json) and typed errors for mismatched shapes. The loss on real logits against
 * PyTorch is in gru-seq2seq.test.ts.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { initBackend, tf } from '@dlpipe/tensor';
import { assertClose } from '../attention/reference-fixture.js';
import { ModelUseError } from '../errors.js';
import { maskedSoftmaxCELoss, sequenceMask } from './masked-ce-loss.js';
import { seq2seqReference } from './seq2seq-fixture.js';

before(async () => {
  await initBackend();
});

describe('maskedSoftmaxCELoss (d2l §10.7)', () => {
  it("d2l's sequence_mask examples", () => {
    const X = tf.tensor2d([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    assert.deepEqual(sequenceMask(X, tf.tensor1d([1, 2])).arraySync(), [
      [1, 0, 0],
      [4, 5, 0],
    ]);
    const ones = sequenceMask(tf.ones([2, 3, 4]), tf.tensor1d([1, 2]), -1).arraySync() as number[][][];
    assert.deepEqual(ones[0]![1], [-1, -1, -1, -1]);
    assert.deepEqual(ones[1]![1], [1, 1, 1, 1]);
  });

  it("d2l's example: [2.3026, 1.1513, 0], as PyTorch", () => {
    const loss = maskedSoftmaxCELoss(tf.ones([3, 4, 10]), tf.ones([3, 4], 'int32'), tf.tensor1d([4, 2, 0]));
    assert.deepEqual(loss.shape, [3]);
    assertClose(loss, seq2seqReference().maskedLoss);
    assertClose(loss, [Math.log(10), Math.log(10) / 2, 0]);
  });

  it('refuses mismatched shapes with a typed error', () => {
    assert.throws(
      () => maskedSoftmaxCELoss(tf.ones([3, 4, 10]), tf.ones([3, 5]), tf.tensor1d([4, 2, 0])),
      (e) => e instanceof ModelUseError && /\[3,4,10\], \[3,5\] and \[3\]/.test(e.message),
    );
    assert.throws(() => sequenceMask(tf.ones([2, 3]), tf.tensor1d([1])), ModelUseError);
  });
});
