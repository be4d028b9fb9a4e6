/**
 * Scaled dot-product attention against d2l's `DotProductAttention` in PyTorch 1.13 (numbers from
 * attention.reference.py): d2l's example, whose keys are all ones so the weights are uniform over
 * the valid keys (d2l prints [[2, 3, 4, 5]], [[10, 11, 12, 13]]), and distinct keys with 2-D
 * valid lengths, with d(sum(Y · det))/d(queries).
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { initBackend, tf } from '@dlpipe/tensor';
import { AttentionError } from './attention-error.js';
import { DotProductAttention } from './dot-product-attention.js';
import { assertClose, attentionReference, d2lValues, det, referenceLoss } from './reference-fixture.js';

before(async () => {
  await initBackend();
});

const ref = attentionReference();

describe('DotProductAttention (d2l §11.3)', () => {
  it("d2l's example: uniform weights over the valid keys, output [[2, 3, 4, 5]], [[10, 11, 12, 13]]", () => {
    const attention = new DotProductAttention({ dropout: 0.5 });
    const Y = attention.forward(det([2, 1, 2], 6) as tf.Tensor3D, tf.ones([2, 10, 2]), d2lValues(), [2, 6]);
    assert.deepEqual(Y.shape, [2, 1, 4]);
    assertClose(Y, [2, 3, 4, 5, 10, 11, 12, 13]);
    assertClose(Y, ref.dotD2l.output);
    assertClose(attention.attentionWeights!, ref.dotD2l.attentionWeights);
  });

  it('distinct keys, 2-D valid lengths: output, weights and the gradient for the queries equal PyTorch', () => {
    const attention = new DotProductAttention();
    const q = det([2, 3, 2], 6, 3) as tf.Tensor3D;
    const k = det([2, 10, 2], 7, 3) as tf.Tensor3D;
    const lens = tf.tensor2d([
      [2, 10, 5],
      [6, 1, 3],
    ]);
    const f = (queries: tf.Tensor) => attention.forward(queries as tf.Tensor3D, k, d2lValues(), lens);
    assertClose(f(q), ref.dot.output);
    assertClose(attention.attentionWeights!, ref.dot.attentionWeights);
    assertClose(tf.grad((queries: tf.Tensor) => referenceLoss(f(queries)))(q), ref.dot.gradQueries);
  });

  it('dropout acts on the weights only while training', () => {
    const attention = new DotProductAttention({ dropout: 0.5 });
    const q = det([2, 3, 2], 6, 3) as tf.Tensor3D;
    const k = det([2, 10, 2], 7, 3) as tf.Tensor3D;
    const inference = attention.forward(q, k, d2lValues());
    const training = attention.forward(q, k, d2lValues(), null, { training: true });
    assert.notDeepEqual(Array.from(training.dataSync()), Array.from(inference.dataSync()));
    // the kept weights are those before dropout: rows still sum to 1
    assertClose(tf.sum(attention.attentionWeights!, -1), [1, 1, 1, 1, 1, 1]);
  });

  it('refuses keys and values of different lengths, and queries and keys of different widths', () => {
    const attention = new DotProductAttention();
    assert.throws(
      () => attention.forward(tf.zeros([2, 1, 2]), tf.zeros([2, 10, 2]), tf.zeros([2, 9, 4])),
      /keys have 10 steps but values 9/,
    );
    assert.throws(
      () => attention.forward(tf.zeros([2, 1, 3]), tf.zeros([2, 10, 2]), tf.zeros([2, 10, 4])),
      /queries have 3 features but keys 2/,
    );
    assert.throws(
      () => attention.forward(tf.zeros([2, 1, 2]), tf.zeros([3, 10, 2]), tf.zeros([3, 10, 4])),
      AttentionError,
    );
    assert.throws(
      () => attention.forward(tf.zeros([2, 1, 2]), tf.zeros([2, 10, 2]), tf.zeros([2, 10, 4]), [1, 2, 3]),
      AttentionError,
    );
    assert.throws(() => new DotProductAttention({ dropout: 2 }), /DotProductAttention options.*dropout/);
  });

  it('keeps one tensor (the last weights) over repeated calls; dispose releases it; config round-trips', () => {
    const attention = new DotProductAttention({ dropout: 0.1 });
    const [q, k, v] = [tf.ones([2, 1, 2]) as tf.Tensor3D, tf.ones([2, 10, 2]) as tf.Tensor3D, d2lValues()];
    attention.forward(q, k, v, [2, 6]).dispose();
    const n = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) attention.forward(q, k, v, [2, 6], { training: true }).dispose();
    assert.equal(tf.memory().numTensors, n);
    attention.dispose();
    assert.equal(tf.memory().numTensors, n - 1);
    assert.deepEqual(DotProductAttention.fromConfig(attention.getConfig()).getConfig(), { dropout: 0.1 });
    tf.dispose([q, k, v]);
  });
});
