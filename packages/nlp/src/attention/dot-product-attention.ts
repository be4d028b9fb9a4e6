/**
 * d2l §11.3's scaled dot-product attention: scores Q Kᵀ / √d, masked softmax over the keys
 * (valid lengths 1-D or 2-D, see `maskedSoftmax`), dropout on the weights while training, then
 * the weighted sum of the values. No weights of its own.
 *
 *   const attention = new DotProductAttention({ dropout: 0.5 });
 *   const Y = attention.forward(queries, keys, values, [2, 6]);   // [batch, queries, valueDim]
 *   attention.attentionWeights;                                     // [batch, queries, keys]
 */
import { tf } from '@dlpipe/tensor';
import { z } from 'zod';
import {
  type AttentionCallOptions,
  AttentionPooling,
  checkQueryKeyValue,
  parseAttentionOptions,
} from './attention-pooling.js';
import { maskedSoftmax, type ValidLens } from './masked-softmax.js';

export interface DotProductAttentionOptions {
  /** Dropout rate on the attention weights while training. Default 0. */
  dropout?: number;
}

export const dotProductAttentionOptionsSchema = z.object({
  dropout: z.number().min(0).max(1).default(0),
});

export class DotProductAttention extends AttentionPooling {
  static readonly className = 'DotProductAttention';
  readonly options: Readonly<z.output<typeof dotProductAttentionOptionsSchema>>;

  constructor(options: DotProductAttentionOptions = {}) {
    super();
    this.options = parseAttentionOptions('DotProductAttention', dotProductAttentionOptionsSchema, options);
  }

  /** queries [b, q, d], keys [b, k, d], values [b, k, v] → [b, q, v]. */
  forward(
    queries: tf.Tensor3D,
    keys: tf.Tensor3D,
    values: tf.Tensor3D,
    validLens?: ValidLens | null,
    options: AttentionCallOptions = {},
  ): tf.Tensor3D {
    checkQueryKeyValue('DotProductAttention', queries, keys, values, true);
    const d = queries.shape[2];
    return tf.tidy(() => {
      const scores = tf.div(tf.matMul(queries, keys, false, true), Math.sqrt(d));
      return this.pool(maskedSoftmax(scores, validLens), values, this.options.dropout, options);
    });
  }

  /** No trainable weights. */
  trainableVariables(): tf.Variable[] {
    return [];
  }

  namedWeights(): Record<string, tf.Variable> {
    return {};
  }

  getConfig(): DotProductAttentionOptions {
    return { ...this.options };
  }

  static fromConfig(config: DotProductAttentionOptions): DotProductAttention {
    return new DotProductAttention(config);
  }

  /** Releases the kept attention weights. */
  dispose(): void {
    this.releaseAttentionWeights();
  }
}
