/**
 * d2l §11.7's Transformer as a `Seq2SeqModel` (arch 'transformer'): a `TransformerEncoder` over
 * the source and a `TransformerDecoder` whose state caches each block's inputs, so greedy and beam
 * search decode one token at a time with the same logits as a teacher-forced pass. Registered with
 * `createSeq2Seq` when this module is imported. d2l's translation settings are the defaults:
 * numHiddens 256, ffnNumHiddens 64, numHeads 4, numLayers (blocks) 2, dropout 0.2.
 *
 *   const model = createSeq2Seq(transformerConfig({ srcVocabSize: 200, tgtVocabSize: 220 }));
 *   const enc = model.encode(src, srcValidLen, false);
 *   const state = model.initState(enc, srcValidLen);
 *   const { logits, state: next } = model.decode(tgtIn, state, true);    // [B, T, 220]
 *   model.attentionWeights?.();        // per block: self [B, 4, T, T], then enc–dec [B, 4, T, Ts]
 */
import { tf } from '@dlpipe/tensor';
import { z } from 'zod';
import { parseAttentionOptions } from '../attention/attention-pooling.js';
import { assignWeights, prefixWeights } from '../attention/linear.js';
import { ModelUseError } from '../errors.js';
import {
  type DecoderState,
  type EncoderResult,
  registerSeq2Seq,
  type Seq2SeqConfig,
  type Seq2SeqModel,
} from '../seq2seq/encoder-decoder.js';
import { TransformerDecoder } from './transformer-decoder.js';
import { TransformerEncoder } from './transformer-encoder.js';
import { headsDivideWidth } from './transformer-encoder-block.js';
import { TransformerDecoderState } from './transformer-state.js';

/** d2l §11.7's translation settings. */
export const TRANSFORMER_D2L_DEFAULTS = {
  numHiddens: 256,
  ffnNumHiddens: 64,
  numHeads: 4,
  numLayers: 2,
  dropout: 0.2,
} as const;

/** The Transformer's keys of a `Seq2SeqConfig`; `numLayers` is the number of blocks. */
export const transformerConfigSchema = z
  .looseObject({
    arch: z.literal('transformer'),
    srcVocabSize: z.number().int().positive(),
    tgtVocabSize: z.number().int().positive(),
    /** Ignored: the embeddings are numHiddens wide. */
    embedSize: z.number().int().positive(),
    numHiddens: z.number().int().positive(),
    numLayers: z.number().int().positive(),
    dropout: z.number().min(0).max(1),
    numHeads: z.number().int().positive().default(TRANSFORMER_D2L_DEFAULTS.numHeads),
    ffnNumHiddens: z.number().int().positive().default(TRANSFORMER_D2L_DEFAULTS.ffnNumHiddens),
    maxLen: z.number().int().positive().default(1000),
  })
  .refine(...headsDivideWidth);

export type TransformerConfig = z.output<typeof transformerConfigSchema>;

/** A full config from the vocabulary sizes and any overrides, d2l's settings elsewhere. */
export function transformerConfig(
  options: { srcVocabSize: number; tgtVocabSize: number } & Partial<Omit<TransformerConfig, 'arch'>>,
): TransformerConfig {
  const numHiddens = options.numHiddens ?? TRANSFORMER_D2L_DEFAULTS.numHiddens;
  return parseAttentionOptions('transformer config', transformerConfigSchema, {
    ...TRANSFORMER_D2L_DEFAULTS,
    embedSize: numHiddens,
    ...options,
    arch: 'transformer',
  });
}

/** [b · heads, q, k] → [b, heads, q, k]. */
function perHead(w: tf.Tensor3D, numHeads: number): tf.Tensor4D {
  const [bh, q, k] = w.shape;
  return tf.reshape(w, [bh / numHeads, numHeads, q, k]);
}

export class TransformerSeq2Seq implements Seq2SeqModel {
  static readonly className = 'TransformerSeq2Seq';
  readonly config: TransformerConfig;
  readonly encoder: TransformerEncoder;
  readonly decoder: TransformerDecoder;
  private weights: tf.Tensor4D[] | undefined;

  constructor(config: Seq2SeqConfig) {
    this.config = parseAttentionOptions('transformer config', transformerConfigSchema, config);
    const c = this.config;
    const stack = {
      numHiddens: c.numHiddens,
      ffnNumHiddens: c.ffnNumHiddens,
      numHeads: c.numHeads,
      numBlks: c.numLayers,
      dropout: c.dropout,
      maxLen: c.maxLen,
    };
    this.encoder = new TransformerEncoder({ ...stack, vocabSize: c.srcVocabSize });
    this.decoder = new TransformerDecoder({ ...stack, vocabSize: c.tgtVocabSize });
  }

  encode(src: tf.Tensor2D, srcValidLen: tf.Tensor1D, training: boolean): EncoderResult {
    return { outputs: this.encoder.forward(src, srcValidLen, { training }), extra: [] };
  }

  initState(encoded: EncoderResult, srcValidLen: tf.Tensor1D): TransformerDecoderState {
    return new TransformerDecoderState({
      encOutputs: tf.clone(encoded.outputs),
      encValidLens: tf.clone(srcValidLen),
      caches: [],
    });
  }

  /** Logits [B, T, tgtVocabSize] and a new state (the caller disposes both; `state` is left as is). */
  decode(
    tgtIn: tf.Tensor2D,
    state: DecoderState,
    training: boolean,
  ): { logits: tf.Tensor3D; state: TransformerDecoderState } {
    if (!(state instanceof TransformerDecoderState)) {
      throw new ModelUseError(
        "transformer decode: the state was not made by a Transformer; start from this model's initState(encode(…)).",
      );
    }
    if (tgtIn.shape[0] !== state.batchSize) {
      throw new ModelUseError(
        `transformer decode: tgtIn has ${tgtIn.shape[0]} rows but the state ${state.batchSize}; ` +
          'gather the state to the rows you decode.',
      );
    }
    this.releaseWeights();
    const { encOutputs, encValidLens, caches } = state;
    const { logits, keyValues } = this.decoder.forward(
      tgtIn,
      { encOutputs, encValidLens, caches },
      { training },
    );
    const next = new TransformerDecoderState({
      encOutputs: tf.clone(encOutputs),
      encValidLens: tf.clone(encValidLens),
      caches: keyValues,
    });
    return { logits, state: next };
  }

  /**
   * The last decode call's attention weights: per block its masked self-attention [B, heads, T,
   * cached + T], then per block its encoder–decoder attention [B, heads, T, Ts] (d2l's
   * `decoder.attention_weights` flattened). Kept by the model until the next decode or dispose.
   */
  attentionWeights(): tf.Tensor[] {
    if (!this.weights) {
      const all = [...this.decoder.selfAttentionWeights(), ...this.decoder.crossAttentionWeights()];
      this.weights = all.map((w) => tf.keep(perHead(w, this.config.numHeads)));
    }
    return this.weights;
  }

  /** The last encode call's self-attention weights per block, [B · heads, Ts, Ts]. */
  encoderAttentionWeights(): tf.Tensor3D[] {
    return this.encoder.attentionWeights();
  }

  trainableVariables(): tf.Variable[] {
    return Object.values(this.namedWeights());
  }

  /** `encoder.embedding.weight`, `encoder.blks.block0.attention.W_q.kernel`, …, `decoder.dense.bias`. */
  namedWeights(): Record<string, tf.Variable> {
    return prefixWeights({ encoder: this.encoder, decoder: this.decoder });
  }

  setWeights(values: Readonly<Record<string, tf.Tensor>>): void {
    assignWeights('TransformerSeq2Seq', this.namedWeights(), values);
  }

  getConfig(): TransformerConfig {
    return { ...this.config };
  }

  static fromConfig(config: Seq2SeqConfig): TransformerSeq2Seq {
    return new TransformerSeq2Seq(config);
  }

  dispose(): void {
    this.releaseWeights();
    this.encoder.dispose();
    this.decoder.dispose();
  }

  private releaseWeights(): void {
    if (this.weights) tf.dispose(this.weights);
    this.weights = undefined;
  }
}

registerSeq2Seq('transformer', (config) => new TransformerSeq2Seq(config));
