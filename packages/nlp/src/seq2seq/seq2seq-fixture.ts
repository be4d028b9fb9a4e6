/**
 * For the tests: the PyTorch reference numbers of `seq2seq.reference.json` (written by
 * `seq2seq.reference.py`, torch 1.13, d2l's classes copied from the book), models with the
 * script's fixed weights (`det(shape, salt)` = 0.5 · sin(0.7 · i + salt), see its header), and a
 * `TrainTask` over `maskedSoftmaxCELoss` for the overfitting tests.
 *
 *   const model = referenceModel('bahdanau');      // the script's weights
 *   assertClose(model.decode(…).logits, seq2seqReference().bahdanau.logits);
 */
import { readFileSync } from 'node:fs';
import { type LossOutput, type TrainTask, tf } from '@dlpipe/tensor';
import { det } from '../attention/reference-fixture.js';
// The architectures register themselves when imported.
import './bahdanau-seq2seq.js';
import './gru-seq2seq.js';
import { createSeq2Seq, type Seq2SeqArch, type Seq2SeqBatch, type Seq2SeqModel } from './encoder-decoder.js';
import { maskedSoftmaxCELoss } from './masked-ce-loss.js';

export interface Seq2SeqReference {
  torch: string;
  gru: {
    src: number[][];
    tgtIn: number[][];
    labels: number[][];
    tgtLen: number[];
    encOutputs: number[];
    encState: number[];
    logits: number[];
    decState: number[];
    loss: number[];
    gradEncoderW_hh_l0: number[];
    gradDecoderW_ih_l1: number[];
    gradDecoderEmbedding: number[];
  };
  bahdanau: {
    src: number[][];
    tgtIn: number[][];
    srcLen: number[];
    labels: number[][];
    tgtLen: number[];
    logits: number[];
    decState: number[];
    attentionWeights: number[];
    loss: number[];
    gradW_q: number[];
    gradEncoderW_ih_l0: number[];
  };
  maskedLoss: number[];
}

export function seq2seqReference(): Seq2SeqReference {
  return JSON.parse(readFileSync(new URL('./seq2seq.reference.json', import.meta.url), 'utf8'));
}

/** The script's sizes: vocab 10, embed 8, hiddens 16, 2 layers. */
export const REF = { V: 10, E: 8, H: 16, L: 2 } as const;

/** GRU weights under `prefix` as the script's `set_gru(rnn, inDim, H, layers, salt)`. */
function gruWeights(prefix: string, inDim: number, salt: number): Record<string, tf.Tensor> {
  const { H, L } = REF;
  const out: Record<string, tf.Tensor> = {};
  for (let k = 0; k < L; k++) {
    const s = salt + 4 * k;
    out[`${prefix}.W_ih_l${k}`] = det([k === 0 ? inDim : H, 3 * H], s);
    out[`${prefix}.W_hh_l${k}`] = det([H, 3 * H], s + 1);
    out[`${prefix}.b_ih_l${k}`] = det([3 * H], s + 2);
    out[`${prefix}.b_hh_l${k}`] = det([3 * H], s + 3);
  }
  return out;
}

/** The script's weights for `arch`, by the model's weight names. */
export function referenceWeights(arch: 'gru' | 'bahdanau'): Record<string, tf.Tensor> {
  const { V, E, H } = REF;
  const encoder = { 'encoder.embedding.weight': det([V, E], 1), ...gruWeights('encoder.rnn', E, 2) };
  if (arch === 'gru') {
    return {
      ...encoder,
      'decoder.embedding.weight': det([V, E], 11),
      ...gruWeights('decoder.rnn', E + H, 12),
      'decoder.dense.kernel': det([H, V], 20),
      'decoder.dense.bias': det([V], 21),
    };
  }
  return {
    ...encoder,
    'decoder.attention.W_q.kernel': det([H, H], 30),
    'decoder.attention.W_k.kernel': det([H, H], 31),
    'decoder.attention.w_v.kernel': det([H, 1], 32),
    'decoder.embedding.weight': det([V, E], 33),
    ...gruWeights('decoder.rnn', E + H, 34),
    'decoder.dense.kernel': det([H, V], 50),
    'decoder.dense.bias': det([V], 51),
  };
}

/** A model of the script's sizes with its weights (names and shapes must match exactly). */
export function referenceModel(arch: 'gru' | 'bahdanau'): Seq2SeqModel {
  const { V, E, H, L } = REF;
  const model = createSeq2Seq({
    arch,
    srcVocabSize: V,
    tgtVocabSize: V,
    embedSize: E,
    numHiddens: H,
    numLayers: L,
    dropout: 0,
  });
  const weights = referenceWeights(arch);
  const named = model.namedWeights();
  const want = Object.keys(named).sort().join();
  if (Object.keys(weights).sort().join() !== want)
    throw new TypeError(`weight names differ: model has ${want}`);
  for (const [k, v] of Object.entries(weights)) {
    if (named[k]!.shape.join() !== v.shape.join())
      throw new TypeError(`${k}: [${named[k]!.shape}] vs [${v.shape}]`);
    named[k]!.assign(v);
  }
  tf.dispose(Object.values(weights));
  return model;
}

/** A small model of `arch` with fresh (seeded) weights. */
export function smallModel(arch: Seq2SeqArch, V: number, size = 16, layers = 2): Seq2SeqModel {
  return createSeq2Seq({
    arch,
    srcVocabSize: V,
    tgtVocabSize: V,
    embedSize: size,
    numHiddens: size,
    numLayers: layers,
    dropout: 0,
  });
}

/** Teacher forcing (d2l's `train_seq2seq`): the mean over tokens of the masked cross-entropy. */
export function seq2seqTask(model: Seq2SeqModel): TrainTask<Seq2SeqBatch> {
  return {
    trainableVariables: () => model.trainableVariables(),
    stateTensors: () => model.trainableVariables(),
    loss(batch, { training }): LossOutput {
      const enc = model.encode(batch.src, batch.srcValidLen, training);
      const state = model.initState(enc, batch.srcValidLen);
      const { logits } = model.decode(batch.tgtIn, state, training);
      const perSeq = maskedSoftmaxCELoss(logits, batch.tgtOut, batch.tgtValidLen);
      const T = batch.tgtOut.shape[1];
      return {
        loss: tf.div(tf.mul(tf.sum(perSeq), T), tf.sum(tf.cast(batch.tgtValidLen, 'float32'))) as tf.Scalar,
      };
    },
  };
}

/** d(sum of d2l's masked losses)/d(weights named `names`) for one teacher-forced batch. */
export function lossGrads(
  model: Seq2SeqModel,
  batch: { src: number[][]; srcLen: number[]; tgtIn: number[][]; labels: number[][]; tgtLen: number[] },
  names: string[],
): tf.Tensor[] {
  const ids = (x: number[][]) => tf.tensor2d(x, undefined, 'int32');
  const named = model.namedWeights();
  const { grads } = tf.variableGrads(
    () => {
      const len = tf.tensor1d(batch.srcLen);
      const state = model.initState(model.encode(ids(batch.src), len, true), len);
      const { logits } = model.decode(ids(batch.tgtIn), state, true);
      return tf.sum(maskedSoftmaxCELoss(logits, ids(batch.labels), tf.tensor1d(batch.tgtLen))) as tf.Scalar;
    },
    names.map((n) => named[n]!),
  );
  return names.map((n) => grads[named[n]!.name]!);
}
