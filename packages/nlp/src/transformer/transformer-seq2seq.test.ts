/**
 * The Transformer seq2seq model against d2l §11.7 in PyTorch 1.13 (transformer.reference.py with
 * bench/nlp_seq2seq_torch_transformer.py; vocab 11 → 13, numHiddens 8, ffn 12, 2 heads, 2 blocks,
 * every weight det(shape, 200 + k) by sorted name, src [[3, 7, 1, 9, 2], [5, 10, 2, 0, 0]] with
 * lengths [5, 3], tgtIn [[1, 4, 12, 6], [1, 8, 3, 5]]): encoder outputs, encoder/decoder attention
 * weights and logits in eval mode, gradients of sum(logits · det(shape, 9)) in training mode
 * (where the script also checks d2l's verbatim decoder gives the same logits). Then what d2l does
 * not test: the causal mask (a later target token leaves earlier logits alone), step-by-step
 * decoding with the cached state equals teacher forcing, gather, flat tensor counts, registry,
 * config round trip and typed errors.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { initBackend, tf } from '@dlpipe/tensor';
import { AttentionError } from '../attention/attention-error.js';
import { assertClose, det } from '../attention/reference-fixture.js';
import { ModelUseError } from '../errors.js';
import { createSeq2Seq, type DecoderState, seq2seqArchs } from '../seq2seq/encoder-decoder.js';
import { referenceBatch, referenceModel, transformerReference } from './transformer-fixture.js';
import { TRANSFORMER_D2L_DEFAULTS, TransformerSeq2Seq, transformerConfig } from './transformer-seq2seq.js';
import type { TransformerDecoderState } from './transformer-state.js';

before(async () => {
  await initBackend();
});

const ref = transformerReference();
const B = 2;
const T = ref.model.tgtIn[0]!.length;

/** Teacher-forced logits of (src, tgtIn) from a fresh state; the state is freed. */
function teacherForced(model: TransformerSeq2Seq, tgtIn: tf.Tensor2D, training = false): tf.Tensor3D {
  const { src, srcValidLen } = referenceBatch();
  return tf.tidy(() => {
    const state = model.initState(model.encode(src, srcValidLen, training), srcValidLen);
    return model.decode(tgtIn, state, training).logits;
  });
}

/** One decode call of `tokens` [B, n] from `state`; frees `state`, returns logits and the new state. */
function step(model: TransformerSeq2Seq, tokens: tf.Tensor2D, state: DecoderState) {
  const r = model.decode(tokens, state, false);
  state.dispose();
  return r;
}

describe('TransformerSeq2Seq equals d2l §11.7 in PyTorch with fixed weights', () => {
  it('has the script’s weight names (d2l module names, kernels for Linear weights)', () => {
    const model = referenceModel(ref);
    assert.deepEqual(Object.keys(model.namedWeights()).sort(), ref.model.names);
    assert.equal(model.trainableVariables().length, 64);
    model.dispose();
  });

  it('eval mode: encoder outputs, attention weights and teacher-forced logits', () => {
    const model = referenceModel(ref);
    const { src, srcValidLen, tgtIn } = referenceBatch(ref);
    const enc = model.encode(src, srcValidLen, false);
    assertClose(enc.outputs, ref.model.encoderOutputs);
    assertClose(model.encoderAttentionWeights()[1]!, ref.model.encoderAttentionWeights1);
    const state = model.initState(enc, srcValidLen);
    const { logits, state: next } = model.decode(tgtIn, state, false);
    assert.deepEqual(logits.shape, [B, T, 13]);
    assertClose(logits, ref.model.logits);
    const weights = model.attentionWeights();
    assert.equal(weights.length, 4); // self-attention per block, then encoder–decoder per block
    assert.deepEqual(weights[0]!.shape, [B, 2, T, T]);
    assert.deepEqual(weights[3]!.shape, [B, 2, T, 5]);
    assertClose(weights[0]!, ref.model.decoderSelfAttentionWeights0);
    assertClose(weights[3]!, ref.model.decoderCrossAttentionWeights1);
    assert.equal(next.steps, T);
    model.dispose();
  });

  it('training mode (dropout 0): the gradients of sum(logits · det) equal PyTorch', () => {
    const model = referenceModel(ref);
    const { src, srcValidLen, tgtIn } = referenceBatch(ref);
    const { grads } = tf.variableGrads(() => {
      const state = model.initState(model.encode(src, srcValidLen, true), srcValidLen);
      const { logits } = model.decode(tgtIn, state, true);
      return tf.sum(tf.mul(logits, det(logits.shape, 9))) as tf.Scalar;
    }, model.trainableVariables());
    const named = model.namedWeights();
    for (const [name, want] of Object.entries(ref.model.grads)) {
      assertClose(grads[named[name]!.name]!, want, 1e-4, 1e-3);
    }
    model.dispose();
  });
});

describe('masks, the cached state and gather', () => {
  it('the causal mask: changing target token 2 changes logits from step 2 on, never before (train and eval)', () => {
    const model = referenceModel(ref);
    const { tgtIn } = referenceBatch(ref);
    const changed = tf.tensor2d(
      ref.model.tgtIn.map((row) => row.map((id, t) => (t === 2 ? (id + 5) % 13 : id))),
      undefined,
      'int32',
    );
    for (const training of [false, true]) {
      const a = teacherForced(model, tgtIn, training).arraySync();
      const b = teacherForced(model, changed, training).arraySync();
      for (let r = 0; r < B; r++) {
        for (let t = 0; t < T; t++) {
          const diff = Math.max(...a[r]![t]!.map((v, i) => Math.abs(v - b[r]![t]![i]!)));
          if (t < 2) assert.ok(diff < 1e-6, `row ${r} step ${t} changed by ${diff}`);
          else assert.ok(diff > 1e-4, `row ${r} step ${t} did not change`);
        }
      }
    }
    model.dispose();
  });

  it('decoding T = 1 steps with the cached state gives the teacher-forced logits; tensors stay flat', () => {
    const model = referenceModel(ref);
    const { src, srcValidLen } = referenceBatch(ref);
    const enc = model.encode(src, srcValidLen, false);
    let state: DecoderState = model.initState(enc, srcValidLen);
    enc.outputs.dispose();
    const got: number[][][] = [[], []];
    const counts: number[] = [];
    for (let t = 0; t < T; t++) {
      const tokens = tf.tensor2d(
        ref.model.tgtIn.map((row) => [row[t]!]),
        [B, 1],
        'int32',
      );
      const r = step(model, tokens, state);
      state = r.state;
      assert.equal((state as TransformerDecoderState).steps, t + 1);
      const l = r.logits.arraySync();
      for (let b = 0; b < B; b++) got[b]!.push(l[b]![0]!);
      tf.dispose([tokens, r.logits]);
      model.attentionWeights(); // kept by the model until the next decode: no growth either
      counts.push(tf.memory().numTensors);
    }
    assertClose(got.flat(2), ref.model.logits, 1e-5, 1e-4);
    assert.equal(new Set(counts).size, 1, `tensor counts per step: ${counts}`);
    assert.deepEqual(model.attentionWeights()[0]!.shape, [B, 2, 1, T]); // the last query over all steps
    state.dispose();
    model.dispose();
  });

  it('gather picks rows of every state tensor; decoding from it equals those rows', () => {
    const model = referenceModel(ref);
    const { src, srcValidLen, tgtIn } = referenceBatch(ref);
    const full = teacherForced(model, tgtIn).arraySync();
    const state0 = model.initState(model.encode(src, srcValidLen, false), srcValidLen);
    const { state } = model.decode(tf.slice(tgtIn, [0, 0], [B, 2]) as tf.Tensor2D, state0, false);
    const rows = [1, 0, 1];
    const picked = state.gather(tf.tensor1d(rows, 'int32'));
    assert.equal(picked.batchSize, 3);
    assert.equal(picked.steps, 2);
    for (const [a, b] of state.tensors().map((t, i) => [t, picked.tensors()[i]!] as const)) {
      assert.deepEqual(b.arraySync(), tf.gather(a, rows).arraySync());
    }
    const next = tf.tensor2d(
      rows.map((r) => [ref.model.tgtIn[r]![2]!]),
      [3, 1],
      'int32',
    );
    const { logits } = model.decode(next, picked, false);
    assertClose(
      logits,
      rows.flatMap((r) => full[r]![2]!),
    );
    // disposing one state leaves the others usable (no shared tensors)
    state.dispose();
    assert.ok(picked.tensors().every((t) => !t.isDisposed));
    picked.dispose();
    model.dispose();
  });

  it('source padding is masked: changing padded source ids changes nothing', () => {
    const model = referenceModel(ref);
    const { srcValidLen, tgtIn } = referenceBatch(ref);
    const logitsOf = (srcRows: number[][]) =>
      tf.tidy(() => {
        const src = tf.tensor2d(srcRows, undefined, 'int32');
        const state = model.initState(model.encode(src, srcValidLen, false), srcValidLen);
        return model.decode(tgtIn, state, false).logits.arraySync();
      });
    const padded = ref.model.src.map((r) => [...r]);
    padded[1]![3] = 7;
    padded[1]![4] = 9;
    assertClose(logitsOf(padded).flat(2), ref.model.logits);
    model.dispose();
  });
});

describe('registry, config and errors', () => {
  it("is registered as 'transformer'; transformerConfig fills d2l's settings (256, ffn 64, 4 heads, 2 blocks, 0.2)", () => {
    assert.ok(seq2seqArchs().includes('transformer'));
    const config = transformerConfig({ srcVocabSize: 30, tgtVocabSize: 40 });
    assert.deepEqual(
      {
        numHiddens: config.numHiddens,
        ffnNumHiddens: config.ffnNumHiddens,
        numHeads: config.numHeads,
        numLayers: config.numLayers,
        dropout: config.dropout,
      },
      TRANSFORMER_D2L_DEFAULTS,
    );
    const model = createSeq2Seq(config);
    assert.ok(model instanceof TransformerSeq2Seq);
    assert.equal(model.namedWeights()['decoder.dense.kernel']!.shape.join(), '256,40');
    // a plain Seq2SeqConfig without the Transformer's keys gets the defaults too
    const plain = createSeq2Seq({
      arch: 'transformer',
      srcVocabSize: 5,
      tgtVocabSize: 6,
      embedSize: 8,
      numHiddens: 8,
      numLayers: 1,
      dropout: 0.1,
    });
    assert.equal(plain.config.numHeads, 4);
    assert.equal(plain.config.ffnNumHiddens, 64);
    model.dispose();
    plain.dispose();
  });

  it('config round trip: fromConfig(getConfig()) with the same weights gives the same logits', () => {
    const model = referenceModel(ref);
    const copy = TransformerSeq2Seq.fromConfig(model.getConfig());
    copy.setWeights(model.namedWeights());
    assertClose(teacherForced(copy, referenceBatch(ref).tgtIn), ref.model.logits);
    model.dispose();
    copy.dispose();
  });

  it('numHiddens not divisible by numHeads is an AttentionError that says how to fix it', () => {
    assert.throws(
      () => transformerConfig({ srcVocabSize: 5, tgtVocabSize: 5, numHiddens: 10, numHeads: 4 }),
      (e: unknown) =>
        e instanceof AttentionError &&
        /numHeads must divide numHiddens/.test(e.message) &&
        /numHeads/.test(e.message),
    );
    assert.throws(
      () =>
        createSeq2Seq({
          arch: 'transformer',
          srcVocabSize: 5,
          tgtVocabSize: 5,
          embedSize: 10,
          numHiddens: 10,
          numLayers: 2,
          dropout: 0,
          numHeads: 3,
        }),
      AttentionError,
    );
    assert.throws(() => transformerConfig({ srcVocabSize: 0, tgtVocabSize: 5 }), /srcVocabSize/);
  });

  it('a state of the wrong batch, another model or past maxLen is a ModelUseError', () => {
    const model = new TransformerSeq2Seq(
      transformerConfig({
        srcVocabSize: 5,
        tgtVocabSize: 5,
        numHiddens: 8,
        numHeads: 2,
        ffnNumHiddens: 8,
        maxLen: 3,
      }),
    );
    const src = tf.tensor2d([[1, 2]], undefined, 'int32');
    const lens = tf.tensor1d([2]);
    const state = model.initState(model.encode(src, lens, false), lens);
    assert.throws(
      () => model.decode(tf.tensor2d([[1], [2]], undefined, 'int32'), state, false),
      ModelUseError,
    );
    const foreign: DecoderState = {
      batchSize: 1,
      gather: () => foreign,
      tensors: () => [],
      dispose: () => {},
    };
    assert.throws(() => model.decode(tf.tensor2d([[1]], undefined, 'int32'), foreign, false), ModelUseError);
    assert.throws(
      () => model.decode(tf.tensor2d([[1, 2, 3, 4]], undefined, 'int32'), state, false),
      (e: unknown) => e instanceof ModelUseError && /maxLen/.test(e.message),
    );
    model.dispose();
  });
});
