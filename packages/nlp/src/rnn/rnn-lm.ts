/**
 * d2l's RNN language model (9.5/9.6, 10.x): one-hot tokens → recurrent encoder (RNN/GRU/LSTM,
 * scratch or layers, deep, bidirectional) → a dense output layer (W_hq, b_q) over the vocabulary.
 * A `TrainTask` for `fit` (loss: mean cross-entropy per token; yHat/y feed `PerplexityMetric`);
 * with sequential batches the hidden state carries from batch to batch, detached, as d2l's
 * `train_epoch_ch8` (see `LMBatch.continues`); `predict(prefix, numPreds)` greedy as d2l's
 * `predict`, or sampled with a temperature and top-k (sample-token.ts). A bidirectional model
 * refuses to predict: it would need the future it is asked to produce.
 *
 *   const lm = new RNNLM({ vocabSize: 28, kind: 'gru', numHiddens: 256 });
 *   await fit(lm, lmDataSource(corpus, { batchSize: 32, numSteps: 35 }), { epochs: 10, … });
 *   lm.predict(vocab.indicesOf([...'it has']), 20);                                   // greedy
 *   lm.predict(vocab.indicesOf([...'it has']), 20, { temperature: 0.8, topK: 5, rng: new Rng(42) });
 */
import { Rng, zodMessage } from '@dlpipe/core';
import { type LossOutput, softmaxCrossEntropy, type TrainTask, tf } from '@dlpipe/tensor';
import { z } from 'zod';
import { ModelUseError } from '../errors.js';
import { CELL_KINDS, type CellKind } from './cells.js';
import { createEncoder } from './create-encoder.js';
import { ENCODER_IMPLS, type EncoderImpl, type EncoderState, type RecurrentEncoder } from './encoder.js';
import { parseSampling, type SamplingOptions, sampleToken } from './sample-token.js';

// The sampling helpers reach @dlpipe/nlp's index through this module.

/** How `predict` picks each next token: greedy by default (d2l), or sampled. */
export interface PredictOptions extends SamplingOptions {
  /** The generator sampling draws from (seed it to repeat a sample). Default: a fresh, time-seeded one. */
  rng?: Rng;
}

export interface RNNLMOptions {
  /** Tokens in the vocabulary (input one-hot width and output classes). */
  vocabSize: number;
  /** 'rnn', 'gru' or 'lstm'. */
  kind: CellKind;
  /** Hidden units per layer and direction. */
  numHiddens: number;
  /** Stacked recurrent layers. Default 1. */
  numLayers?: number;
  /** Bidirectional layers (trainable, but cannot generate). Default false. */
  bidirectional?: boolean;
  /** 'layers' (tfjs layers, default) or 'scratch' (tf ops). */
  impl?: EncoderImpl;
}

export const rnnLMOptionsSchema = z.object({
  vocabSize: z.number().int().min(2),
  kind: z.enum(CELL_KINDS),
  numHiddens: z.number().int().positive(),
  numLayers: z.number().int().positive().default(1),
  bidirectional: z.boolean().default(false),
  impl: z.enum(ENCODER_IMPLS).default('layers'),
});

/** Token ids, int32 [batch, numSteps]; Y is X shifted by one token. */
export interface LMBatch {
  X: tf.Tensor2D;
  Y: tf.Tensor2D;
  /**
   * Sequential partitioning: true when X continues the previous batch row by row (start from its
   * final state), false at an epoch's first batch (start from zeros). Either way the final state
   * is kept for the next batch. Absent (random partitioning): zeros, nothing kept.
   */
  continues?: boolean;
}

export class RNNLM implements TrainTask<LMBatch> {
  readonly options: Readonly<Required<RNNLMOptions>>;
  readonly encoder: RecurrentEncoder;
  readonly W_hq: tf.Variable;
  readonly b_q: tf.Variable;
  /** The last sequential batch's final state, kept (outside any tape, so detached) for the next. */
  private carried: EncoderState | undefined;
  /** The state before it: an input of the last step's tape, disposed when the next step starts. */
  private stale: tf.Tensor[] = [];

  constructor(options: RNNLMOptions) {
    const r = rnnLMOptionsSchema.safeParse(options);
    if (!r.success) {
      throw new ModelUseError(`${zodMessage('RNNLM options', r.error)}.`);
    }
    this.options = r.data;
    const { vocabSize, numHiddens, bidirectional } = r.data;
    this.encoder = createEncoder(r.data.impl, { ...r.data, inputDim: vocabSize });
    const outDim = numHiddens * (bidirectional ? 2 : 1);
    this.W_hq = tf.variable(tf.randomNormal([outDim, vocabSize], 0, 0.01));
    this.b_q = tf.variable(tf.zeros([vocabSize]));
  }

  /** Logits [batch, steps, vocab] for token ids [batch, steps], and the encoder's final state. */
  forward(X: tf.Tensor2D, state?: EncoderState): { logits: tf.Tensor3D; state: EncoderState } {
    const [b, T] = X.shape;
    const oneHot = tf.oneHot(tf.cast(X, 'int32'), this.options.vocabSize) as tf.Tensor3D;
    const { outputs, state: s } = this.encoder.forward(tf.cast(oneHot, 'float32'), state);
    const flat = tf.reshape(outputs, [b * T, -1]);
    const logits = tf.add(tf.matMul(flat, this.W_hq), this.b_q);
    return { logits: tf.reshape(logits, [b, T, this.options.vocabSize]), state: s };
  }

  loss(batch: LMBatch): LossOutput {
    tf.dispose(this.stale);
    this.stale = [];
    const init = batch.continues ? this.carriedFor(batch.X) : undefined;
    const { logits, state } = this.forward(batch.X, init);
    this.stale = this.carried?.flat() ?? [];
    this.carried = batch.continues === undefined ? undefined : state.map((s) => s.map((t) => tf.keep(t)));
    const yHat = tf.reshape(logits, [-1, this.options.vocabSize]);
    const y = tf.reshape(batch.Y, [-1]);
    return { loss: softmaxCrossEntropy(yHat, y), yHat, y };
  }

  /** The hidden state a continuing batch starts from (d2l: `state.detach_()`), checked against X. */
  private carriedFor(X: tf.Tensor2D): EncoderState | undefined {
    const c = this.carried;
    if (c && c[0]?.[0]?.shape[0] !== X.shape[0]) {
      throw new ModelUseError(
        `a continuing batch has ${X.shape[0]} rows but the carried state ${c[0]?.[0]?.shape[0]}; ` +
          'sequential batches must keep one batch size (lmDataSource does), or set continues: false.',
      );
    }
    return c;
  }

  /** The state carried into the next continuing batch (read-only view; undefined when none). */
  get carriedState(): Readonly<EncoderState> | undefined {
    return this.carried;
  }

  /** Forgets the carried state: the next batch starts from zeros. */
  resetState(): void {
    tf.dispose([...this.stale, ...(this.carried?.flat() ?? [])]);
    this.stale = [];
    this.carried = undefined;
  }

  trainableVariables(): tf.Variable[] {
    return [...this.encoder.trainableVariables(), this.W_hq, this.b_q];
  }

  stateTensors(): tf.Variable[] {
    return this.trainableVariables();
  }

  /** Tokens in a batch (throughput is in tokens/s). */
  batchSize(batch: LMBatch): number {
    return batch.X.size;
  }

  /**
   * d2l's `predict`: warm up on the prefix, then append `numPreds` tokens, each the argmax
   * (default, temperature 0) or sampled from softmax(logits / temperature) over the top-k.
   */
  predict(prefix: readonly number[], numPreds: number, options: PredictOptions = {}): number[] {
    const sampling = parseSampling(options);
    const rng = options.rng ?? new Rng();
    if (this.options.bidirectional) {
      throw new ModelUseError(
        'a bidirectional RNN cannot generate text: each output depends on the tokens after it, which ' +
          'do not exist yet when predicting the next one (d2l 10.4). Train a unidirectional model ' +
          '(without --bidirectional) to generate.',
      );
    }
    if (prefix.length === 0) {
      throw new ModelUseError('predict needs a non-empty prefix (at least one token id) to start from.');
    }
    const bad = prefix.find((i) => !Number.isInteger(i) || i < 0 || i >= this.options.vocabSize);
    if (bad !== undefined) {
      throw new ModelUseError(
        `prefix token id ${bad} is outside the vocabulary [0, ${this.options.vocabSize}).`,
      );
    }
    const out = [...prefix];
    let state: EncoderState | undefined;
    let next = tf.tensor2d([prefix as number[]], [1, prefix.length], 'int32');
    for (let i = 0; i < numPreds; i++) {
      const r = tf.tidy(() => {
        const f = this.forward(next, state);
        const last = tf.squeeze(tf.slice(f.logits, [0, f.logits.shape[1] - 1, 0], [1, 1, -1]));
        return { logits: last, state: f.state };
      });
      const id = sampleToken(r.logits.dataSync(), sampling, rng);
      tf.dispose([r.logits, next, ...(state ?? []).flat()]);
      state = r.state;
      out.push(id);
      next = tf.tensor2d([[id]], [1, 1], 'int32');
    }
    tf.dispose([next, ...(state ?? []).flat()]);
    return out;
  }

  dispose(): void {
    this.resetState();
    this.encoder.dispose();
    tf.dispose([this.W_hq, this.b_q]);
  }
}
