/**
 * Additive attention against d2l's `AdditiveAttention` in PyTorch 1.13 with fixed weights
 * (attention.reference.py: W_q = det([20, 8], 1), W_k = det([2, 8], 2), w_v = det([8, 1], 3),
 * queries det([2, 1, 20], 4)): d2l's example (keys all ones → d2l's printed output
 * [[2, 3, 4, 5]], [[10, 11, 12, 13]]) and distinct keys, with the gradients of sum(Y · det) for the
 * queries and every kernel; the tensor count over calls; config and weights round trips.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { initBackend, tf } from '@dlpipe/tensor';
import { AdditiveAttention } from './additive-attention.js';
import { AttentionError } from './attention-error.js';
import { assertClose, attentionReference, d2lValues, det, referenceLoss } from './reference-fixture.js';

before(async () => {
  await initBackend();
});

const ref = attentionReference();

function referenceLayer(): AdditiveAttention {
  const attention = new AdditiveAttention({ numHiddens: 8, dropout: 0.1, queryDim: 20, keyDim: 2 });
  attention.setWeights({
    'W_q.kernel': det([20, 8], 1),
    'W_k.kernel': det([2, 8], 2),
    'w_v.kernel': det([8, 1], 3),
  });
  return attention;
}
const queries = () => det([2, 1, 20], 4) as tf.Tensor3D;

describe('AdditiveAttention (d2l §11.3)', () => {
  it("d2l's example: output [[2, 3, 4, 5]], [[10, 11, 12, 13]] and the query gradient equal PyTorch", () => {
    const attention = referenceLayer();
    const f = (q: tf.Tensor) => attention.forward(q as tf.Tensor3D, tf.ones([2, 10, 2]), d2lValues(), [2, 6]);
    const Y = f(queries());
    assert.deepEqual(Y.shape, [2, 1, 4]);
    assertClose(Y, [2, 3, 4, 5, 10, 11, 12, 13]);
    assertClose(attention.attentionWeights!, ref.additiveD2l.attentionWeights);
    assertClose(tf.grad((q: tf.Tensor) => referenceLoss(f(q)))(queries()), ref.additiveD2l.gradQueries);
  });

  it('distinct keys: output, weights and gradients for queries, W_q, W_k and w_v equal PyTorch', () => {
    const attention = referenceLayer();
    const keys = det([2, 10, 2], 5, 2) as tf.Tensor3D;
    const f = (q: tf.Tensor) => attention.forward(q as tf.Tensor3D, keys, d2lValues(), tf.tensor1d([2, 6]));
    assertClose(f(queries()), ref.additive.output);
    assertClose(attention.attentionWeights!, ref.additive.attentionWeights);
    assertClose(tf.grad((q: tf.Tensor) => referenceLoss(f(q)))(queries()), ref.additive.gradQueries);
    const { grads } = tf.variableGrads(() => referenceLoss(f(queries())), attention.trainableVariables());
    const w = attention.namedWeights();
    assertClose(grads[w['W_q.kernel']!.name]!, ref.additive.grad_W_q!);
    assertClose(grads[w['W_k.kernel']!.name]!, ref.additive.grad_W_k!);
    assertClose(grads[w['w_v.kernel']!.name]!, ref.additive.grad_w_v!);
  });

  it('builds its weights on the first call (LazyLinear) and refuses another width later', () => {
    const attention = new AdditiveAttention({ numHiddens: 8 });
    assert.deepEqual(Object.keys(attention.namedWeights()), ['w_v.kernel']); // its input width is numHiddens
    attention.forward(queries(), tf.ones([2, 10, 2]), d2lValues(), [2, 6]);
    assert.deepEqual(
      Object.entries(attention.namedWeights()).map(([k, v]) => [k, v.shape]),
      [
        ['W_q.kernel', [20, 8]],
        ['W_k.kernel', [2, 8]],
        ['w_v.kernel', [8, 1]],
      ],
    );
    assert.throws(
      () => attention.forward(queries(), tf.ones([2, 10, 3]), d2lValues()),
      /built for inputs of width 2 got width 3/,
    );
  });

  it('getConfig → fromConfig + setWeights gives the same layer', () => {
    const a = new AdditiveAttention({ numHiddens: 8, dropout: 0.2 });
    const keys = det([2, 10, 2], 5, 2) as tf.Tensor3D;
    const Ya = a.forward(queries(), keys, d2lValues(), [2, 6]);
    const b = AdditiveAttention.fromConfig(a.getConfig());
    assert.deepEqual(b.getConfig(), { numHiddens: 8, dropout: 0.2, queryDim: 20, keyDim: 2 });
    b.setWeights(a.namedWeights());
    assertClose(b.forward(queries(), keys, d2lValues(), [2, 6]), Array.from(Ya.dataSync()), 1e-7);
    assert.throws(() => b.setWeights({ 'W_q.kernel': tf.zeros([20, 8]) }), /do not match the module's/);
    assert.throws(
      () => b.setWeights({ ...a.namedWeights(), 'W_q.kernel': tf.zeros([20, 7]) }),
      /'W_q.kernel' has shape \[20,7\]; the module needs \[20,8\]/,
    );
  });

  it('the gradient reaches every weight; tensors stay flat over training steps', () => {
    const attention = new AdditiveAttention({ numHiddens: 8, dropout: 0.1, queryDim: 20, keyDim: 2 });
    const [q, k, v] = [queries(), det([2, 10, 2], 5, 2) as tf.Tensor3D, d2lValues()];
    const lens = tf.tensor2d([[3], [7]]);
    const step = () =>
      tf.tidy(() => {
        const { grads } = tf.variableGrads(
          () => referenceLoss(attention.forward(q, k, v, lens, { training: true })),
          attention.trainableVariables(),
        );
        for (const g of Object.values(grads)) assert.ok(tf.max(tf.abs(g)).dataSync()[0]! > 0);
      });
    step();
    const n = tf.memory().numTensors;
    for (let i = 0; i < 4; i++) step();
    assert.equal(tf.memory().numTensors, n);
  });

  it('refuses bad options and mismatched inputs with AttentionError', () => {
    assert.throws(() => new AdditiveAttention({ numHiddens: 0 }), AttentionError);
    assert.throws(() => new AdditiveAttention({ numHiddens: 0 }), /AdditiveAttention options.*numHiddens/);
    const attention = new AdditiveAttention({ numHiddens: 4 });
    assert.throws(
      () => attention.forward(queries(), tf.ones([2, 10, 2]), tf.ones([2, 8, 4])),
      /keys have 10 steps but values 8/,
    );
    assert.throws(
      () => attention.forward(queries(), tf.ones([2, 10, 2]), d2lValues(), tf.ones([2, 2])),
      /valid lengths of shape \[2,2\]/,
    );
  });
});
