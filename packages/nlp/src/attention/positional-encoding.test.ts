/**
 * The sinusoidal table against d2l §11.6's `PositionalEncoding` in PyTorch 1.13 (encoding_dim 32,
 * num_steps 60; entries from attention.reference.py), its use (X + P[:steps], dropout while
 * training), and the learned positional embedding (trainable, gradient, round trip).
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { initBackend, tf } from '@dlpipe/tensor';
import { AttentionError } from './attention-error.js';
import {
  LearnedPositionalEmbedding,
  PositionalEncoding,
  sinusoidalPositions,
} from './positional-encoding.js';
import { assertClose, attentionReference } from './reference-fixture.js';

before(async () => {
  await initBackend();
});

const ref = attentionReference().positional;

describe('PositionalEncoding (d2l §11.6)', () => {
  it('P equals PyTorch at rows 0, 1, 7, 30, 59 and columns 0, 1, 6–9, 30, 31 (encoding_dim 32)', () => {
    const pe = new PositionalEncoding({ numHiddens: 32, dropout: 0 });
    const P = pe
      .forward(tf.zeros([1, 60, 32]))
      .squeeze([0])
      .arraySync() as number[][];
    assert.equal(ref.entries.length, 40);
    for (const [i, j, want] of ref.entries) assertClose([P[i]![j]!], [want], 2e-6, 1e-5);
    // row 1: sin(1), cos(1) in the first two columns (hand check)
    assertClose([P[1]![0]!, P[1]![1]!], [Math.sin(1), Math.cos(1)], 1e-7);
    assert.deepEqual(pe.P.shape, [1000, 32]);
    pe.dispose();
  });

  it('adds P[:steps] to X; dropout only while training; odd widths work', () => {
    const pe = new PositionalEncoding({ numHiddens: 4, dropout: 0.5, maxLen: 10 });
    const X = tf.ones([2, 3, 4]) as tf.Tensor3D;
    const Y = pe.forward(X);
    const P = sinusoidalPositions(3, 4);
    assertClose(Y, Array.from(tf.add(X, P).dataSync()), 1e-7);
    const T = Array.from(pe.forward(X, { training: true }).dataSync());
    assert.ok(T.some((v) => v === 0));
    assert.deepEqual(sinusoidalPositions(2, 3).arraySync()[1], [
      Math.fround(Math.sin(1)),
      Math.fround(Math.cos(1)),
      Math.fround(Math.sin(1 / 10000 ** (2 / 3))),
    ]);
  });

  it('refuses a wrong width, sequences longer than maxLen, and bad options', () => {
    const pe = new PositionalEncoding({ numHiddens: 4, maxLen: 10 });
    assert.throws(
      () => pe.forward(tf.zeros([1, 3, 5])),
      /expected X \[batch, steps ≤ 10, 4\], got \[1,3,5\]/,
    );
    assert.throws(() => pe.forward(tf.zeros([1, 11, 4])), AttentionError);
    assert.throws(() => new PositionalEncoding({ numHiddens: 0 }), /PositionalEncoding options.*numHiddens/);
    assert.deepEqual(PositionalEncoding.fromConfig(pe.getConfig()).getConfig(), {
      numHiddens: 4,
      dropout: 0,
      maxLen: 10,
    });
  });

  it('keeps no tensors over repeated calls', () => {
    const pe = new PositionalEncoding({ numHiddens: 8, dropout: 0.1, maxLen: 20 });
    const X = tf.ones([2, 5, 8]) as tf.Tensor3D;
    pe.forward(X, { training: true }).dispose();
    const n = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) pe.forward(X, { training: true }).dispose();
    assert.equal(tf.memory().numTensors, n);
  });
});

describe('LearnedPositionalEmbedding', () => {
  it('is trainable: the gradient of a sum is 1 at the used positions, 0 past them', () => {
    const emb = new LearnedPositionalEmbedding({ numHiddens: 4, maxLen: 6 });
    const X = tf.zeros([2, 3, 4]) as tf.Tensor3D;
    const { grads } = tf.variableGrads(() => tf.sum(emb.forward(X)) as tf.Scalar, emb.trainableVariables());
    const g = grads[emb.P.name]!.arraySync() as number[][];
    assert.deepEqual(g[0], [2, 2, 2, 2]); // two examples
    assert.deepEqual(g[5], [0, 0, 0, 0]);
    assertClose(emb.forward(X), Array.from(emb.P.slice([0, 0], [3, 4]).tile([2, 1]).dataSync()), 1e-7);
  });

  it('getConfig → fromConfig + setWeights gives the same embedding; wrong shapes are refused', () => {
    const a = new LearnedPositionalEmbedding({ numHiddens: 4, maxLen: 6, dropout: 0.1 });
    const b = LearnedPositionalEmbedding.fromConfig(a.getConfig());
    b.setWeights(a.namedWeights());
    assertClose(b.P, Array.from(a.P.dataSync()), 0);
    assert.throws(
      () => b.setWeights({ P: tf.zeros([5, 4]) }),
      /'P' has shape \[5,4\]; the module needs \[6,4\]/,
    );
    a.dispose();
    b.dispose();
  });
});
