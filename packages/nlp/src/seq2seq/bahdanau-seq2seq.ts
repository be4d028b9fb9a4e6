/**
 * d2l §11.4's Bahdanau attention decoder (`Seq2SeqAttentionDecoder`) on §10.7's GRU encoder. At
 * each step the query is the decoder's last-layer hidden state of the previous step, keys and
 * values are the encoder outputs (masked past each source length), and the GRU's input is
 * concat(context, embedding); its state starts from the encoder's. The attention weights of every
 * step are kept for heatmaps (`attentionWeights()`: [B, T, Ts] of the last decode call).
 * `BahdanauSeq2Seq` is the `Seq2SeqModel` (registered as 'bahdanau').
 *
 *   const model = new BahdanauSeq2Seq({ arch: 'bahdanau', srcVocabSize: 10, tgtVocabSize: 10,
 *                                       embedSize: 8, numHiddens: 16, numLayers: 2, dropout: 0 });
 *   const state = model.initState(model.encode(src, srcValidLen, false), srcValidLen);
 *   const { logits } = model.decode(tgtIn, state, false);         // [4, 7, 10]
 *   model.attentionWeights();                                     // [[4, 7, Ts]]
 */
import { tf } from '@dlpipe/tensor';
import { AdditiveAttention } from '../attention/additive-attention.js';
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
import { checkSource, checkTarget, parseRnnSeq2SeqConfig, Seq2SeqEncoder } from './gru-seq2seq.js';
import { asRowState, RowState } from './row-state.js';
import { StackedGRU } from './stacked-gru.js';

type AttentionParts = 'encOutputs' | 'hidden' | 'validLen';

/** d2l §11.4's `Seq2SeqAttentionDecoder`. */
export class Seq2SeqAttentionDecoder {
  readonly attention: AdditiveAttention;
  readonly embedding: Embedding;
  readonly rnn: StackedGRU;
  readonly dense: Linear;
  private weights: tf.Tensor3D | undefined;

  constructor(config: Seq2SeqConfig) {
    const H = config.numHiddens;
    this.attention = new AdditiveAttention({
      numHiddens: H,
      dropout: config.dropout,
      queryDim: H,
      keyDim: H,
    });
    this.embedding = new Embedding({ vocabSize: config.tgtVocabSize, embedSize: config.embedSize });
    this.rnn = new StackedGRU({
      inputDim: config.embedSize + H,
      numHiddens: H,
      numLayers: config.numLayers,
      dropout: config.dropout,
    });
    this.dense = new Linear({ units: config.tgtVocabSize, inputDim: H });
  }

  /** The state: encoder outputs [B, Ts, H], its final state per layer, source lengths (clones). */
  initState(encoded: EncoderResult, srcValidLen: tf.Tensor1D): RowState<AttentionParts> {
    if (srcValidLen.shape[0] !== encoded.outputs.shape[0]) {
      throw new ModelUseError(
        `Bahdanau decoder: ${srcValidLen.shape[0]} source lengths for ${encoded.outputs.shape[0]} encoded sources.`,
      );
    }
    return new RowState({
      encOutputs: [encoded.outputs.clone()],
      hidden: encoded.extra.map((t) => t.clone()),
      validLen: [tf.cast(srcValidLen, 'float32')],
    });
  }

  forward(
    tgtIn: tf.Tensor2D,
    state: RowState<AttentionParts>,
    training: boolean,
  ): { logits: tf.Tensor3D; state: RowState<AttentionParts> } {
    checkTarget(tgtIn, state);
    const B = tgtIn.shape[0];
    const H = this.rnn.options.numHiddens;
    const encOutputs = state.part('encOutputs')[0] as tf.Tensor3D;
    const validLen = state.part('validLen')[0]!;
    const r = tf.tidy(() => {
      const embs = tf.unstack(this.embedding.apply(tgtIn), 1) as tf.Tensor2D[]; // T × [B, E]
      let hidden = state.part('hidden') as tf.Tensor2D[];
      const outs: tf.Tensor2D[] = [];
      const weights: tf.Tensor[] = [];
      for (const x of embs) {
        const query = tf.reshape(hidden[hidden.length - 1]!, [B, 1, H]) as tf.Tensor3D;
        const context = this.attention.forward(query, encOutputs, encOutputs, validLen, { training });
        weights.push(this.attention.attentionWeights!.clone());
        hidden = this.rnn.step(
          tf.concat([tf.reshape(context, [B, H]), x], 1) as tf.Tensor2D,
          hidden,
          training,
        );
        outs.push(hidden[hidden.length - 1]!);
      }
      const logits = this.dense.apply(tf.stack(outs, 1)) as tf.Tensor3D;
      const all = tf.concat(weights, 1) as tf.Tensor3D; // [B, T, Ts]
      return { logits, hidden, all, encOutputs: encOutputs.clone(), validLen: validLen.clone() };
    });
    this.weights?.dispose();
    this.weights = tf.keep(r.all); // outlives a caller's tidy; replaced by the next call

    return {
      logits: r.logits,
      state: new RowState({ encOutputs: [r.encOutputs], hidden: r.hidden, validLen: [r.validLen] }),
    };
  }

  /** [B, T, Ts] attention weights of the last forward call (kept until the next call or dispose). */
  attentionWeights(): tf.Tensor3D | undefined {
    return this.weights;
  }

  namedWeights(): Record<string, tf.Variable> {
    return prefixWeights({
      attention: this.attention,
      embedding: this.embedding,
      rnn: this.rnn,
      dense: this.dense,
    });
  }

  dispose(): void {
    this.weights?.dispose();
    this.weights = undefined;
    this.attention.dispose();
  }
}

/** The GRU encoder with the Bahdanau attention decoder as a `Seq2SeqModel` (arch 'bahdanau'). */
export class BahdanauSeq2Seq implements Seq2SeqModel {
  readonly config: Seq2SeqConfig;
  readonly encoder: Seq2SeqEncoder;
  readonly decoder: Seq2SeqAttentionDecoder;

  constructor(config: Seq2SeqConfig) {
    this.config = parseRnnSeq2SeqConfig(config, 'bahdanau');
    this.encoder = new Seq2SeqEncoder(this.config);
    this.decoder = new Seq2SeqAttentionDecoder(this.config);
  }

  encode(src: tf.Tensor2D, srcValidLen: tf.Tensor1D, training: boolean): EncoderResult {
    checkSource(src, srcValidLen);
    return this.encoder.forward(src, training);
  }

  initState(encoded: EncoderResult, srcValidLen: tf.Tensor1D): DecoderState {
    return this.decoder.initState(encoded, srcValidLen);
  }

  decode(tgtIn: tf.Tensor2D, state: DecoderState, training: boolean) {
    const s = asRowState(state, ['encOutputs', 'hidden', 'validLen'] as const, 'BahdanauSeq2Seq.decode');
    return this.decoder.forward(tgtIn, s, training);
  }

  /** One tensor: the [B, T, Ts] weights over the source of the last decode call (a view; do not dispose). */
  attentionWeights(): tf.Tensor[] {
    const w = this.decoder.attentionWeights();
    return w ? [w] : [];
  }

  /** `encoder.…`, `decoder.attention.W_q.kernel`, …, `decoder.dense.bias`. */
  namedWeights(): Record<string, tf.Variable> {
    return prefixWeights({ encoder: this.encoder, decoder: this.decoder });
  }

  trainableVariables(): tf.Variable[] {
    return Object.values(this.namedWeights());
  }

  dispose(): void {
    this.decoder.dispose();
    tf.dispose(this.trainableVariables());
  }
}

registerSeq2Seq('bahdanau', (config) => new BahdanauSeq2Seq(config));
