/**
 * d2l §10.7's GRU encoder–decoder against the book's PyTorch classes with the same fixed weights
 * (seq2seq.reference.py, torch 1.13: vocab 10, embed 8, hiddens 16, 2 layers, batch 4, 9 steps):
 * encoder outputs and state, decoder logits, state, the masked loss and its gradients; teacher forcing equals
 * step-by-step decoding; `gather` picks rows; config + weights round trip; typed errors for bad
 * configs and inputs.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { initBackend, tf } from '@dlpipe/tensor';
import { assertClose } from '../attention/reference-fixture.js';
import { ModelUseError } from '../errors.js';
import { createSeq2Seq, seq2seqArchs } from './encoder-decoder.js';
import { GruSeq2Seq } from './gru-seq2seq.js';
import { maskedSoftmaxCELoss } from './masked-ce-loss.js';
import { lossGrads, referenceModel, seq2seqReference } from './seq2seq-fixture.js';

before(async () => {
  await initBackend();
});

const ref = seq2seqReference().gru;
const ids = (x: number[][]) => tf.tensor2d(x, undefined, 'int32');

describe('GruSeq2Seq (d2l §10.7)', () => {
  it('encoder outputs [4, 9, 16] and state equal PyTorch', () => {
    const model = referenceModel('gru');
    const enc = model.encode(ids(ref.src), tf.tensor1d([9, 9, 9, 9]), false);
    assert.deepEqual(enc.outputs.shape, [4, 9, 16]);
    assert.deepEqual(
      enc.extra.map((t) => t.shape),
      [
        [4, 16],
        [4, 16],
      ],
    );
    assertClose(enc.outputs, ref.encOutputs);
    assertClose(tf.stack(enc.extra), ref.encState);
    model.dispose();
  });

  it('decoder logits [4, 9, 10], state and masked loss equal PyTorch', () => {
    const model = referenceModel('gru');
    const len = tf.tensor1d([9, 9, 9, 9]);
    const state = model.initState(model.encode(ids(ref.src), len, false), len);
    const { logits, state: next } = model.decode(ids(ref.tgtIn), state, false);
    assert.deepEqual(logits.shape, [4, 9, 10]);
    assertClose(logits, ref.logits);
    assertClose(tf.stack(next.tensors().slice(0, 2)), ref.decState);
    assertClose(maskedSoftmaxCELoss(logits, ids(ref.labels), tf.tensor1d(ref.tgtLen)), ref.loss);
    model.dispose();
  });

  it('gradients of the summed masked loss equal PyTorch (encoder W_hh, decoder W_ih of layer 1, embedding)', () => {
    const model = referenceModel('gru');
    const batch = { ...ref, srcLen: [9, 9, 9, 9] };
    const [a, b, c] = lossGrads(model, batch, [
      'encoder.rnn.W_hh_l0',
      'decoder.rnn.W_ih_l1',
      'decoder.embedding.weight',
    ]);
    assertClose(a!, ref.gradEncoderW_hh_l0, 1e-4);
    assertClose(b!, ref.gradDecoderW_ih_l1, 1e-4);
    assertClose(c!, ref.gradDecoderEmbedding, 1e-4);
    model.dispose();
  });

  it('teacher forcing equals nine decoding steps of one token, and gather picks rows', () => {
    const model = referenceModel('gru');
    const len = tf.tensor1d([9, 9, 9, 9]);
    const state = model.initState(model.encode(ids(ref.src), len, false), len);
    const tgt = ids(ref.tgtIn);
    let s = state;
    const steps: tf.Tensor[] = [];
    for (let t = 0; t < 9; t++) {
      const r = model.decode(tf.slice(tgt, [0, t], [4, 1]), s, false);
      steps.push(r.logits);
      s = r.state;
    }
    assertClose(tf.concat(steps, 1), ref.logits);
    const picked = state.gather(tf.tensor1d([3, 0, 0], 'int32'));
    assert.equal(picked.batchSize, 3);
    const rows = model.decode(ids([ref.tgtIn[3]!, ref.tgtIn[0]!, ref.tgtIn[0]!]), picked, false).logits;
    const want = (b: number) => ref.logits.slice(b * 90, (b + 1) * 90);
    assertClose(rows, [...want(3), ...want(0), ...want(0)]);
    model.dispose();
  });

  it('is registered as gru, its weights named by module, and dropout only while training', () => {
    assert.ok(seq2seqArchs().includes('gru'));
    const config = {
      arch: 'gru' as const,
      srcVocabSize: 7,
      tgtVocabSize: 9,
      embedSize: 4,
      numHiddens: 6,
      numLayers: 2,
      dropout: 0.5,
    };
    const model = createSeq2Seq(config);
    assert.ok(model instanceof GruSeq2Seq);
    assert.deepEqual(Object.keys(model.namedWeights()).slice(0, 3), [
      'encoder.embedding.weight',
      'encoder.rnn.W_ih_l0',
      'encoder.rnn.W_hh_l0',
    ]);
    assert.equal(model.trainableVariables().length, 1 + 8 + 1 + 8 + 2);
    const src = ids([[1, 2, 3]]);
    const len = tf.tensor1d([3]);
    const a = model.encode(src, len, false).outputs.arraySync();
    assert.deepEqual(model.encode(src, len, false).outputs.arraySync(), a);
    assert.notDeepEqual(model.encode(src, len, true).outputs.arraySync(), a);
    model.dispose();
  });

  it('round trip for both archs: the JSON config and named weights rebuild a model with the same logits', () => {
    for (const arch of ['gru', 'bahdanau'] as const) {
      const model = referenceModel(arch);
      const copy = createSeq2Seq(JSON.parse(JSON.stringify(model.config)));
      const named = copy.namedWeights();
      assert.deepEqual(Object.keys(named), Object.keys(model.namedWeights()));
      for (const [k, v] of Object.entries(model.namedWeights())) named[k]!.assign(v);
      const run = (m: typeof model) =>
        tf.tidy(() => {
          const len = tf.tensor1d([9, 5, 9, 2]);
          const state = m.initState(m.encode(ids(ref.src), len, false), len);
          return m.decode(ids(ref.tgtIn), state, false).logits.arraySync();
        });
      assert.deepEqual(run(copy), run(model));
      model.dispose();
      copy.dispose();
    }
  });

  it('refuses bad configs, ids out of the vocabulary and mismatched shapes with typed errors', () => {
    const base = {
      arch: 'gru' as const,
      srcVocabSize: 7,
      tgtVocabSize: 9,
      embedSize: 4,
      numHiddens: 6,
      numLayers: 1,
      dropout: 0,
    };
    assert.throws(
      () => new GruSeq2Seq({ ...base, numHiddens: 0 }),
      (e) => e instanceof ModelUseError && /numHiddens/.test(e.message),
    );
    assert.throws(() => new GruSeq2Seq({ ...base, arch: 'bahdanau' }), ModelUseError);
    const model = new GruSeq2Seq(base);
    assert.throws(
      () => model.encode(ids([[1, 7]]), tf.tensor1d([2]), false),
      /token ids must be in \[0, 6\], got ids from 1 to 7/,
    );
    assert.throws(() => model.encode(ids([[1, 2]]), tf.tensor1d([2, 2]), false), /lengths \[batch\]/);
    const len = tf.tensor1d([2]);
    const state = model.initState(model.encode(ids([[1, 2]]), len, false), len);
    assert.throws(() => model.decode(ids([[1], [2]]), state, false), /ids \[1, steps\]/);
    model.dispose();
  });
});
