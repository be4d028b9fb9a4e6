/**
 * d2l §11.7.5's `TransformerDecoder`: target embeddings · √numHiddens plus positions, through
 * `numBlks` decoder blocks, then a dense layer to the target vocabulary. Called with the whole
 * shifted target (teacher forcing) or one step at a time with each block's cached inputs; the
 * positions continue after the cached steps (d2l restarts them at 0 for every predicted token).
 *
 *   const decoder = new TransformerDecoder({ vocabSize: 200, numHiddens: 24, ffnNumHiddens: 48,
 *                                            numHeads: 8, numBlks: 2, dropout: 0.5 });
 *   const { logits, keyValues } = decoder.forward(tgtIn, { encOutputs, encValidLens, caches: [] });
 *   decoder.forward(nextToken, { encOutputs, encValidLens, caches: keyValues });   // T = 1
 */
import { tf } from '@dlpipe/tensor';
import { type AttentionCallOptions, parseAttentionOptions } from '../attention/attention-pooling.js';
import { assignWeights, Linear, prefixWeights } from '../attention/linear.js';
import type { ValidLens } from '../attention/masked-softmax.js';
import { PositionalEncoding } from '../attention/positional-encoding.js';
import { ModelUseError } from '../errors.js';
import { TokenEmbedding } from './token-embedding.js';
import { TransformerDecoderBlock } from './transformer-decoder-block.js';
import {
  embedWithPositions,
  type TransformerStackConfig,
  type TransformerStackOptions,
  transformerBlockWeights,
  transformerStackOptionsSchema,
} from './transformer-encoder.js';

/** What the decoder reads besides the target ids. */
export interface TransformerDecoderInput {
  /** [b, srcSteps, numHiddens]. */
  encOutputs: tf.Tensor3D;
  /** [b] source valid lengths. */
  encValidLens?: ValidLens | null;
  /** Per block, its inputs at the steps decoded so far [b, cached, numHiddens]; [] before the first. */
  caches: readonly tf.Tensor3D[];
}

export class TransformerDecoder {
  static readonly className = 'TransformerDecoder';
  readonly options: Readonly<TransformerStackConfig>;
  readonly embedding: TokenEmbedding;
  readonly posEncoding: PositionalEncoding;
  readonly blks: TransformerDecoderBlock[];
  /** To the vocabulary, with bias. */
  readonly dense: Linear;

  constructor(options: TransformerStackOptions) {
    this.options = parseAttentionOptions('TransformerDecoder', transformerStackOptionsSchema, options);
    const { vocabSize, numHiddens, dropout, maxLen, numBlks } = this.options;
    this.embedding = new TokenEmbedding({ vocabSize, numHiddens });
    this.posEncoding = new PositionalEncoding({ numHiddens, dropout, maxLen });
    this.blks = Array.from({ length: numBlks }, () => new TransformerDecoderBlock(this.options));
    this.dense = new Linear({ units: vocabSize, inputDim: numHiddens });
  }

  /**
   * Target ids [b, T] → `logits` [b, T, vocabSize] and `keyValues`, each block's cache for the
   * next call (new tensors; the caller owns them).
   */
  forward(
    X: tf.Tensor2D,
    input: TransformerDecoderInput,
    options: AttentionCallOptions = {},
  ): { logits: tf.Tensor3D; keyValues: tf.Tensor3D[] } {
    const { caches, encOutputs, encValidLens } = input;
    if (caches.length !== 0 && caches.length !== this.blks.length) {
      throw new ModelUseError(
        `TransformerDecoder: got ${caches.length} cached key/value tensors for ${this.blks.length} blocks; ` +
          'pass the keyValues of the previous call, or [] to start.',
      );
    }
    const offset = caches[0]?.shape[1] ?? 0;
    return tf.tidy(() => {
      let H = embedWithPositions(this.embedding, this.posEncoding, X, options, offset);
      const keyValues: tf.Tensor3D[] = [];
      this.blks.forEach((blk, i) => {
        const r = blk.forward(H, { encOutputs, encValidLens, cache: caches[i] ?? null }, options);
        H = r.output;
        keyValues.push(r.keyValues);
      });
      return { logits: this.dense.apply(H) as tf.Tensor3D, keyValues };
    });
  }

  /** The last call's masked self-attention weights per block, [b · numHeads, T, cached + T]. */
  selfAttentionWeights(): tf.Tensor3D[] {
    return this.blks.flatMap((b) => (b.selfAttentionWeights ? [b.selfAttentionWeights] : []));
  }

  /** The last call's encoder–decoder attention weights per block, [b · numHeads, T, srcSteps]. */
  crossAttentionWeights(): tf.Tensor3D[] {
    return this.blks.flatMap((b) => (b.crossAttentionWeights ? [b.crossAttentionWeights] : []));
  }

  /** `embedding.weight`, `blks.block{i}.…`, `dense.kernel`, `dense.bias`. */
  namedWeights(): Record<string, tf.Variable> {
    return {
      'embedding.weight': this.embedding.weight,
      ...transformerBlockWeights(this.blks),
      ...prefixWeights({ dense: this.dense }),
    };
  }

  trainableVariables(): tf.Variable[] {
    return Object.values(this.namedWeights());
  }

  setWeights(values: Readonly<Record<string, tf.Tensor>>): void {
    assignWeights('TransformerDecoder', this.namedWeights(), values);
  }

  getConfig(): TransformerStackOptions {
    return { ...this.options };
  }

  static fromConfig(config: TransformerStackOptions): TransformerDecoder {
    return new TransformerDecoder(config);
  }

  dispose(): void {
    this.embedding.dispose();
    this.posEncoding.dispose();
    for (const b of this.blks) b.dispose();
    this.dense.dispose();
  }
}
