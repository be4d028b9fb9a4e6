/**
 * d2l §10.7's RNN encoder–decoder for translation. `Seq2SeqEncoder`: embedding → multi-layer GRU
 * (dropout between layers) → outputs [B, Ts, H] and the final state of every layer.
 * `Seq2SeqDecoder`: each step's input is concat(embedding, context), the context being the
 * encoder's last-layer final state for every step; its GRU starts from the encoder's state; a
 * dense layer maps to the target vocabulary. `GruSeq2Seq` puts them behind `Seq2SeqModel`
 * (registered as 'gru'). Layouts are batch-major ([B, T, …]); PyTorch's are time-major.
 *
 *   const model = new GruSeq2Seq({ arch: 'gru', srcVocabSize: 10, tgtVocabSize: 10, embedSize: 8,
 *                                  numHiddens: 16, numLayers: 2, dropout: 0 });
 *   const enc = model.encode(src, srcValidLen, false);            // outputs [4, 9, 16]
 *   const state = model.initState(enc, srcValidLen);
 *   const { logits } = model.decode(tgtIn, state, false);         // [4, 9, 10]
 */
import { zodMessage } from '@dlpipe/core';
import { tf } from '@dlpipe/tensor';
import { z } from 'zod';
import { Linear, prefixWeights } from '../attention/linear.js';
import { ModelUseError } from '../errors.js';
import { Embedding } from './embedding.js';
import {
  type DecoderState,
  type EncoderResult,
  registerSeq2Seq,
  type Seq2SeqConfig,
  type Seq2SeqModel,
} from './encoder-decoder.js';
import { asRowState, RowState } from './row-state.js';
import { StackedGRU } from './stacked-gru.js';

/** The settings the RNN encoder–decoders ('gru', 'bahdanau') read from a `Seq2SeqConfig`. */
export const rnnSeq2SeqConfigSchema = z
  .object({
    arch: z.enum(['gru', 'bahdanau']),
    srcVocabSize: z.number().int().positive(),
    tgtVocabSize: z.number().int().positive(),
    embedSize: z.number().int().positive(),
    numHiddens: z.number().int().positive(),
    numLayers: z.number().int().positive(),
    dropout: z.number().min(0).max(1),
  })
  .passthrough();

/** Checks an RNN seq2seq config (typed error naming each bad field). */
export function parseRnnSeq2SeqConfig(config: Seq2SeqConfig, arch: 'gru' | 'bahdanau'): Seq2SeqConfig {
  const r = rnnSeq2SeqConfigSchema.safeParse(config);
  if (!r.success) throw new ModelUseError(`${zodMessage(`${arch} seq2seq config`, r.error)}.`);
  if (r.data.arch !== arch) {
    throw new ModelUseError(
      `a ${arch} seq2seq model got a config for '${r.data.arch}'; use createSeq2Seq(config).`,
    );
  }
  return r.data as Seq2SeqConfig;
}

/** Checks src [B, Ts] and srcValidLen [B]. */
export function checkSource(src: tf.Tensor, srcValidLen: tf.Tensor): void {
  if (src.rank !== 2 || srcValidLen.rank !== 1 || srcValidLen.shape[0] !== src.shape[0]) {
    throw new ModelUseError(
      `seq2seq: the source must be ids [batch, steps] with lengths [batch], got [${src.shape}] and [${srcValidLen.shape}].`,
    );
  }
}

/** Checks a decoder input tgtIn [B, T] against a state of B rows. */
export function checkTarget(tgtIn: tf.Tensor, state: DecoderState): void {
  if (tgtIn.rank !== 2 || tgtIn.shape[0] !== state.batchSize) {
    throw new ModelUseError(
      `seq2seq: the decoder input must be ids [${state.batchSize}, steps] (one row per state row), got [${tgtIn.shape}].`,
    );
  }
}

/** d2l §10.7's `Seq2SeqEncoder`: embedding → GRU; outputs [B, Ts, H], final state per layer. */
export class Seq2SeqEncoder {
  readonly embedding: Embedding;
  readonly rnn: StackedGRU;

  constructor(config: Seq2SeqConfig) {
    this.embedding = new Embedding({ vocabSize: config.srcVocabSize, embedSize: config.embedSize });
    this.rnn = new StackedGRU({
      inputDim: config.embedSize,
      numHiddens: config.numHiddens,
      numLayers: config.numLayers,
      dropout: config.dropout,
    });
  }

  forward(src: tf.Tensor2D, training: boolean): EncoderResult {
    return tf.tidy(() => {
      const embs = this.embedding.apply(src) as tf.Tensor3D;
      const { outputs, state } = this.rnn.forward(embs, this.rnn.zeroState(src.shape[0]), training);
      return { outputs, extra: state };
    });
  }

  namedWeights(): Record<string, tf.Variable> {
    return prefixWeights({ embedding: this.embedding, rnn: this.rnn });
  }
}

/** d2l §10.7's `Seq2SeqDecoder`: input concat(embedding, context) → GRU → dense. */
export class Seq2SeqDecoder {
  readonly embedding: Embedding;
  readonly rnn: StackedGRU;
  readonly dense: Linear;

  constructor(config: Seq2SeqConfig) {
    this.embedding = new Embedding({ vocabSize: config.tgtVocabSize, embedSize: config.embedSize });
    this.rnn = new StackedGRU({
      inputDim: config.embedSize + config.numHiddens,
      numHiddens: config.numHiddens,
      numLayers: config.numLayers,
      dropout: config.dropout,
    });
    // d2l's dense is a LazyLinear, which its init_seq2seq skips: PyTorch's default U(±1/√H).
    this.dense = new Linear({ units: config.tgtVocabSize, inputDim: config.numHiddens });
  }

  /** The state: the encoder's final state per layer (`hidden`) and its last layer's (`context`), cloned. */
  initState(encoded: EncoderResult): RowState<'hidden' | 'context'> {
    const hidden = encoded.extra.map((t) => t.clone());
    const last = encoded.extra[encoded.extra.length - 1];
    if (!last)
      throw new ModelUseError(
        'seq2seq: the encoder result holds no final state; pass what encode() returned.',
      );
    return new RowState({ hidden, context: [last.clone()] });
  }

  forward(
    tgtIn: tf.Tensor2D,
    state: RowState<'hidden' | 'context'>,
    training: boolean,
  ): { logits: tf.Tensor3D; state: RowState<'hidden' | 'context'> } {
    checkTarget(tgtIn, state);
    const [B, T] = tgtIn.shape;
    const r = tf.tidy(() => {
      const embs = this.embedding.apply(tgtIn);
      const context = state.part('context')[0]!;
      const ctx = tf.tile(tf.reshape(context, [B, 1, -1]), [1, T, 1]);
      const X = tf.concat([embs, ctx], 2) as tf.Tensor3D;
      const { outputs, state: hidden } = this.rnn.forward(X, state.part('hidden') as tf.Tensor2D[], training);
      return { logits: this.dense.apply(outputs) as tf.Tensor3D, hidden, context: context.clone() };
    });
    return { logits: r.logits, state: new RowState({ hidden: r.hidden, context: [r.context] }) };
  }

  namedWeights(): Record<string, tf.Variable> {
    return prefixWeights({ embedding: this.embedding, rnn: this.rnn, dense: this.dense });
  }
}

/** The GRU encoder–decoder as a `Seq2SeqModel` (arch 'gru'). */
export class GruSeq2Seq implements Seq2SeqModel {
  readonly config: Seq2SeqConfig;
  readonly encoder: Seq2SeqEncoder;
  readonly decoder: Seq2SeqDecoder;

  constructor(config: Seq2SeqConfig) {
    this.config = parseRnnSeq2SeqConfig(config, 'gru');
    this.encoder = new Seq2SeqEncoder(this.config);
    this.decoder = new Seq2SeqDecoder(this.config);
  }

  encode(src: tf.Tensor2D, srcValidLen: tf.Tensor1D, training: boolean): EncoderResult {
    checkSource(src, srcValidLen);
    return this.encoder.forward(src, training);
  }

  initState(encoded: EncoderResult, _srcValidLen: tf.Tensor1D): DecoderState {
    return this.decoder.initState(encoded);
  }

  decode(tgtIn: tf.Tensor2D, state: DecoderState, training: boolean) {
    return this.decoder.forward(
      tgtIn,
      asRowState(state, ['hidden', 'context'], 'GruSeq2Seq.decode'),
      training,
    );
  }

  /** `encoder.embedding.weight`, `encoder.rnn.W_ih_l0`, …, `decoder.dense.kernel`, `decoder.dense.bias`. */
  namedWeights(): Record<string, tf.Variable> {
    return prefixWeights({ encoder: this.encoder, decoder: this.decoder });
  }

  trainableVariables(): tf.Variable[] {
    return Object.values(this.namedWeights());
  }

  dispose(): void {
    tf.dispose(this.trainableVariables());
  }
}

registerSeq2Seq('gru', (config) => new GruSeq2Seq(config));
