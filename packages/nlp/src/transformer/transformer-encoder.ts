/**
 * d2l §11.7.4's `TransformerEncoder`: token embeddings scaled by √numHiddens plus the sinusoidal
 * positional encoding (then dropout), through `numBlks` encoder blocks. Each block's self-attention
 * weights are kept for heatmaps.
 *
 *   const encoder = new TransformerEncoder({ vocabSize: 200, numHiddens: 24, ffnNumHiddens: 48,
 *                                            numHeads: 8, numBlks: 2, dropout: 0.5 });
 *   encoder.forward(tf.ones([2, 100], 'int32'), [3, 2]);   // → [2, 100, 24] (d2l's check)
 *   encoder.attentionWeights();                            // per block [2 · 8, 100, 100]
 */
import { dropout, tf } from '@dlpipe/tensor';
import { z } from 'zod';
import { type AttentionCallOptions, parseAttentionOptions } from '../attention/attention-pooling.js';
import { assignWeights, prefixWeights } from '../attention/linear.js';
import type { ValidLens } from '../attention/masked-softmax.js';
import { PositionalEncoding } from '../attention/positional-encoding.js';
import { ModelUseError } from '../errors.js';
import { TokenEmbedding } from './token-embedding.js';
import {
  headsDivideWidth,
  type TransformerBlockOptions,
  TransformerEncoderBlock,
  transformerBlockFields,
} from './transformer-encoder-block.js';

export interface TransformerStackOptions extends TransformerBlockOptions {
  /** Token ids 0 … vocabSize − 1. */
  vocabSize: number;
  /** Blocks stacked. */
  numBlks: number;
  /** Longest sequence the positional encoding covers. Default 1000 (d2l). */
  maxLen?: number;
}

export const transformerStackOptionsSchema = transformerBlockFields
  .extend({
    vocabSize: z.number().int().positive(),
    numBlks: z.number().int().positive(),
    maxLen: z.number().int().positive().default(1000),
  })
  .refine(...headsDivideWidth);

export type TransformerStackConfig = z.output<typeof transformerStackOptionsSchema>;

/** Blocks under d2l's `blks.block{i}` names (its nn.Sequential's). */
export function transformerBlockWeights(blks: readonly { namedWeights(): Record<string, tf.Variable> }[]) {
  return prefixWeights(Object.fromEntries(blks.map((b, i) => [`blks.block${i}`, b])));
}

/**
 * embedding(ids) · √numHiddens + P[offset : offset + steps], dropout while training: d2l's
 * `pos_encoding(embedding(X) * sqrt(num_hiddens))`, positions starting after `offset` cached steps.
 */
export function embedWithPositions(
  embedding: TokenEmbedding,
  pos: PositionalEncoding,
  ids: tf.Tensor2D,
  options: AttentionCallOptions,
  offset = 0,
): tf.Tensor3D {
  const steps = ids.shape[1];
  const { maxLen, numHiddens, dropout: rate } = pos.options;
  if (ids.rank !== 2 || offset + steps > maxLen) {
    throw new ModelUseError(
      `Transformer: expected token ids [batch, steps] ending by position ${maxLen} (maxLen), got [${ids.shape}] ` +
        `after ${offset} cached steps; raise maxLen in the model config for longer sequences.`,
    );
  }
  return tf.tidy(() => {
    const X = tf.mul(embedding.forward(ids), Math.sqrt(numHiddens));
    const Y = tf.add(X, tf.slice(pos.P, [offset, 0], [steps, numHiddens]));
    return dropout(Y, rate, { training: options.training === true }) as tf.Tensor3D;
  });
}

export class TransformerEncoder {
  static readonly className = 'TransformerEncoder';
  readonly options: Readonly<TransformerStackConfig>;
  readonly embedding: TokenEmbedding;
  readonly posEncoding: PositionalEncoding;
  readonly blks: TransformerEncoderBlock[];

  constructor(options: TransformerStackOptions) {
    this.options = parseAttentionOptions('TransformerEncoder', transformerStackOptionsSchema, options);
    const { vocabSize, numHiddens, dropout, maxLen, numBlks } = this.options;
    this.embedding = new TokenEmbedding({ vocabSize, numHiddens });
    this.posEncoding = new PositionalEncoding({ numHiddens, dropout, maxLen });
    this.blks = Array.from({ length: numBlks }, () => new TransformerEncoderBlock(this.options));
  }

  /** Source ids [b, steps] with valid lengths [b] → [b, steps, numHiddens]. */
  forward(X: tf.Tensor2D, validLens?: ValidLens | null, options: AttentionCallOptions = {}): tf.Tensor3D {
    return tf.tidy(() => {
      let H = embedWithPositions(this.embedding, this.posEncoding, X, options);
      for (const blk of this.blks) H = blk.forward(H, validLens, options);
      return H;
    });
  }

  /** The last call's self-attention weights per block, [b · numHeads, steps, steps] (kept until the next call). */
  attentionWeights(): tf.Tensor3D[] {
    return this.blks.flatMap((b) => (b.attentionWeights ? [b.attentionWeights] : []));
  }

  /** `embedding.weight`, `blks.block{i}.…`. */
  namedWeights(): Record<string, tf.Variable> {
    return { 'embedding.weight': this.embedding.weight, ...transformerBlockWeights(this.blks) };
  }

  trainableVariables(): tf.Variable[] {
    return Object.values(this.namedWeights());
  }

  setWeights(values: Readonly<Record<string, tf.Tensor>>): void {
    assignWeights('TransformerEncoder', this.namedWeights(), values);
  }

  getConfig(): TransformerStackOptions {
    return { ...this.options };
  }

  static fromConfig(config: TransformerStackOptions): TransformerEncoder {
    return new TransformerEncoder(config);
  }

  dispose(): void {
    this.embedding.dispose();
    this.posEncoding.dispose();
    for (const b of this.blks) b.dispose();
  }
}
