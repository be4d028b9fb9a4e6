/**
 * d2l §11.4's Bahdanau decoder against the book's PyTorch classes with the same fixed weights
 * (seq2seq.reference.py, torch 1.13: vocab 10, embed 8, hiddens 16, 2 layers, batch 4, 7 steps,
 * source lengths [7, 3, 5, 1]): logits, final state and every step's attention weights (zero past
 * each source length), the masked loss and its gradients; teacher forcing equals step-by-step decoding; `gather` keeps each row's
 * source mask; the tensor count stays flat over calls.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { initBackend, tf } from '@dlpipe/tensor';
import { assertClose } from '../attention/reference-fixture.js';
import { BahdanauSeq2Seq } from './bahdanau-seq2seq.js';
import { createSeq2Seq, seq2seqArchs } from './encoder-decoder.js';
import { maskedSoftmaxCELoss } from './masked-ce-loss.js';
import { lossGrads, referenceModel, seq2seqReference } from './seq2seq-fixture.js';

before(async () => {
  await initBackend();
});

const ref = seq2seqReference().bahdanau;
const ids = (x: number[][]) => tf.tensor2d(x, undefined, 'int32');

function start() {
  const model = referenceModel('bahdanau');
  const len = tf.tensor1d(ref.srcLen);
  const state = model.initState(model.encode(ids(ref.src), len, false), len);
  return { model, state };
}

describe('BahdanauSeq2Seq (d2l §11.4)', () => {
  it('logits [4, 7, 10], final state and attention weights [4, 7, 7] equal PyTorch', () => {
    const { model, state } = start();
    const { logits, state: next } = model.decode(ids(ref.tgtIn), state, false);
    assert.deepEqual(logits.shape, [4, 7, 10]);
    assertClose(logits, ref.logits);
    const [weights] = model.attentionWeights!();
    assert.deepEqual(weights!.shape, [4, 7, 7]);
    assertClose(weights!, ref.attentionWeights);
    // Past each source length the weights are zero (source 3 has length 1: all weight on position 0).
    const w = weights!.arraySync() as number[][][];
    assert.ok(w[3]!.every((row) => Math.abs(row[0]! - 1) < 1e-6));
    assert.ok(w[1]!.every((row) => row.slice(3).every((x) => x < 1e-6)));
    const hidden = next.tensors().filter((t) => t.rank === 2);
    assertClose(tf.stack(hidden), ref.decState);
    model.dispose();
  });

  it('the masked loss and its gradients (attention W_q, encoder W_ih) equal PyTorch', () => {
    const model = referenceModel('bahdanau');
    const len = tf.tensor1d(ref.srcLen);
    const state = model.initState(model.encode(ids(ref.src), len, false), len);
    const { logits } = model.decode(ids(ref.tgtIn), state, false);
    assertClose(maskedSoftmaxCELoss(logits, ids(ref.labels), tf.tensor1d(ref.tgtLen)), ref.loss);
    const [a, b] = lossGrads(model, ref, ['decoder.attention.W_q.kernel', 'encoder.rnn.W_ih_l0']);
    assertClose(a!, ref.gradW_q, 1e-4);
    assertClose(b!, ref.gradEncoderW_ih_l0, 1e-4);
    model.dispose();
  });

  it('teacher forcing equals seven steps of one token; gather keeps each row its source and mask', () => {
    const { model, state } = start();
    const tgt = ids(ref.tgtIn);
    let s = state;
    const steps: tf.Tensor[] = [];
    for (let t = 0; t < 7; t++) {
      const r = model.decode(tf.slice(tgt, [0, t], [4, 1]), s, false);
      steps.push(r.logits);
      s = r.state;
    }
    assertClose(tf.concat(steps, 1), ref.logits);
    const picked = state.gather(tf.tensor1d([1, 3], 'int32'));
    const rows = model.decode(ids([ref.tgtIn[1]!, ref.tgtIn[3]!]), picked, false).logits;
    assertClose(rows, [...ref.logits.slice(70, 140), ...ref.logits.slice(210, 280)]);
    model.dispose();
  });

  it('is registered as bahdanau; repeated decode calls keep the tensor count flat', () => {
    assert.ok(seq2seqArchs().includes('bahdanau'));
    const model = createSeq2Seq({
      arch: 'bahdanau',
      srcVocabSize: 6,
      tgtVocabSize: 5,
      embedSize: 4,
      numHiddens: 8,
      numLayers: 1,
      dropout: 0.2,
    });
    assert.ok(model instanceof BahdanauSeq2Seq);
    assert.equal(Object.keys(model.namedWeights()).filter((k) => k.includes('attention')).length, 3);
    const len = tf.tensor1d([3, 2]);
    const state = model.initState(
      model.encode(
        ids([
          [1, 2, 3],
          [4, 5, 0],
        ]),
        len,
        false,
      ),
      len,
    );
    const tgt = ids([
      [0, 1],
      [2, 3],
    ]);
    const once = () => {
      const r = model.decode(tgt, state, true);
      r.logits.dispose();
      r.state.dispose();
    };
    once();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) once();
    assert.equal(tf.memory().numTensors, before);
    model.dispose();
  });
});
