/**
 * Multi-head attention against d2l's `MultiHeadAttention` in PyTorch 1.13 (attention.reference.py):
 * d2l §11.5's shape check (numHiddens 100, 5 heads → (2, 4, 100)), and values with fixed weights
 * at a small size (numHiddens 8, 2 heads, bias on, query/key/value widths 5/6/7; W_q = det([5, 8],
 * 11), W_k = det([6, 8], 12), W_v = det([7, 8], 13), W_o = det([8, 8], 14), biases det([8], salt
 * + 0.5)) with 1-D and 2-D valid lengths, and the gradients of sum(Y · det) for the queries and
 * kernels; plus transposeQkv/transposeOutput, self-attention, the tensor count, config round trip.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { initBackend, tf } from '@dlpipe/tensor';
import { AttentionError } from './attention-error.js';
import { MultiHeadAttention, selfAttention, transposeOutput, transposeQkv } from './multi-head-attention.js';
import { assertClose, attentionReference, det, referenceLoss } from './reference-fixture.js';

before(async () => {
  await initBackend();
});

const ref = attentionReference();

function referenceMha(): MultiHeadAttention {
  const mha = new MultiHeadAttention({
    numHiddens: 8,
    numHeads: 2,
    dropout: 0.5,
    bias: true,
    queryDim: 5,
    keyDim: 6,
    valueDim: 7,
  });
  const weights: Record<string, tf.Tensor> = {};
  for (const [name, inDim, salt] of [
    ['W_q', 5, 11],
    ['W_k', 6, 12],
    ['W_v', 7, 13],
    ['W_o', 8, 14],
  ] as const) {
    weights[`${name}.kernel`] = det([inDim, 8], salt);
    weights[`${name}.bias`] = det([8], salt + 0.5);
  }
  mha.setWeights(weights);
  return mha;
}
const inputs = () => ({
  q: det([2, 3, 5], 15, 2) as tf.Tensor3D,
  k: det([2, 4, 6], 16, 2) as tf.Tensor3D,
  v: det([2, 4, 7], 17, 2) as tf.Tensor3D,
});

describe('MultiHeadAttention (d2l §11.5)', () => {
  it("d2l's shape check: numHiddens 100, 5 heads, X [2, 4, 100], Y [2, 6, 100] → [2, 4, 100]", () => {
    const mha = new MultiHeadAttention({ numHiddens: 100, numHeads: 5, dropout: 0.5 });
    const X = tf.ones([2, 4, 100]) as tf.Tensor3D;
    const Y = tf.ones([2, 6, 100]) as tf.Tensor3D;
    assert.deepEqual(mha.forward(X, Y, Y, [3, 2]).shape, ref.mhaShape);
    assert.deepEqual(mha.attentionWeights!.shape, [10, 4, 6]);
    mha.dispose();
  });

  for (const [name, lens] of [
    ['1-D valid lengths [3, 2]', [3, 2]],
    [
      '2-D valid lengths [[1, 2, 4], [4, 3, 2]]',
      [
        [1, 2, 4],
        [4, 3, 2],
      ],
    ],
  ] as const) {
    it(`${name}: output, per-head weights and gradients equal PyTorch`, () => {
      const c = lens.length === 2 && typeof lens[0] === 'number' ? ref.mha : ref.mha2d;
      const mha = referenceMha();
      const { q, k, v } = inputs();
      const f = (queries: tf.Tensor) => mha.forward(queries as tf.Tensor3D, k, v, lens);
      assertClose(f(q), c.output);
      assertClose(mha.attentionWeights!, c.attentionWeights);
      assertClose(tf.grad((queries: tf.Tensor) => referenceLoss(f(queries)))(q), c.gradQueries);
      const { grads } = tf.variableGrads(() => referenceLoss(f(q)), mha.trainableVariables());
      const w = mha.namedWeights();
      for (const kernel of ['W_q', 'W_o', 'W_v']) {
        const want = c[`grad_${kernel}`];
        if (want) assertClose(grads[w[`${kernel}.kernel`]!.name]!, want);
      }
      mha.dispose();
    });
  }

  it('transposeOutput inverts transposeQkv; heads are contiguous feature blocks', () => {
    const X = tf.range(0, 2 * 3 * 8).reshape([2, 3, 8]);
    const heads = transposeQkv(X, 2);
    assert.deepEqual(heads.shape, [4, 3, 4]);
    // example 0, head 1, step 0: features 4..7 of X[0, 0]
    assert.deepEqual(Array.from(heads.slice([1, 0, 0], [1, 1, 4]).dataSync()), [4, 5, 6, 7]);
    assert.deepEqual(Array.from(transposeOutput(heads, 2).dataSync()), Array.from(X.dataSync()));
    assert.throws(() => transposeQkv(X, 3), AttentionError);
  });

  it('self-attention is multi-head attention with queries = keys = values', () => {
    const mha = new MultiHeadAttention({ numHiddens: 8, numHeads: 2 });
    const X = det([2, 4, 8], 3) as tf.Tensor3D;
    const a = selfAttention(mha, X, [4, 2]);
    assertClose(a, Array.from(mha.forward(X, X, X, [4, 2]).dataSync()), 1e-7);
    assert.deepEqual(mha.attentionWeights!.shape, [4, 4, 4]);
  });

  it('getConfig → fromConfig + setWeights gives the same module', () => {
    const a = new MultiHeadAttention({ numHiddens: 8, numHeads: 4, bias: true });
    const { q, k, v } = inputs();
    const Ya = a.forward(q, k, v, [2, 3]);
    const b = MultiHeadAttention.fromConfig(a.getConfig());
    assert.deepEqual(b.getConfig(), {
      numHiddens: 8,
      numHeads: 4,
      dropout: 0,
      bias: true,
      queryDim: 5,
      keyDim: 6,
      valueDim: 7,
    });
    b.setWeights(a.namedWeights());
    assertClose(b.forward(q, k, v, [2, 3]), Array.from(Ya.dataSync()), 1e-7);
    tf.dispose([a, b].flatMap((m) => m.trainableVariables()));
  });

  it('tensors stay flat over training steps with dropout; the gradient reaches every weight', () => {
    const mha = new MultiHeadAttention({
      numHiddens: 8,
      numHeads: 2,
      dropout: 0.2,
      bias: true,
      queryDim: 5,
      keyDim: 6,
      valueDim: 7,
    });
    const { q, k, v } = inputs();
    const step = () =>
      tf.tidy(() => {
        const { grads } = tf.variableGrads(
          () =>
            referenceLoss(
              mha.forward(
                q,
                k,
                v,
                [
                  [1, 2, 4],
                  [4, 3, 2],
                ],
                { training: true },
              ),
            ),
          mha.trainableVariables(),
        );
        assert.equal(Object.keys(grads).length, 8);
        for (const g of Object.values(grads)) assert.ok(tf.max(tf.abs(g)).dataSync()[0]! > 0);
      });
    step();
    const n = tf.memory().numTensors;
    for (let i = 0; i < 4; i++) step();
    assert.equal(tf.memory().numTensors, n);
    const vars = mha.trainableVariables().length;
    mha.dispose();
    assert.equal(tf.memory().numTensors, n - vars - 1);
  });

  it('refuses numHiddens not divisible by numHeads, bad valid lengths and mismatched keys/values', () => {
    assert.throws(() => new MultiHeadAttention({ numHiddens: 10, numHeads: 3 }), AttentionError);
    assert.throws(
      () => new MultiHeadAttention({ numHiddens: 10, numHeads: 3 }),
      /MultiHeadAttention options: .*numHeads must divide numHiddens/,
    );
    const mha = new MultiHeadAttention({ numHiddens: 8, numHeads: 2 });
    const { q, k, v } = inputs();
    assert.throws(
      () => mha.forward(q, k, v, [1, 2, 3]),
      /MultiHeadAttention: valid lengths of shape \[3\] do not fit 2 examples of 3 queries/,
    );
    assert.throws(() => mha.forward(q, k, v, tf.ones([2, 4])), AttentionError);
    assert.throws(() => mha.forward(q, k, tf.zeros([2, 5, 7]), [1, 2]), /keys have 4 steps but values 5/);
  });
});
