/**
 * d2l §11.3's additive attention: scores w_vᵀ tanh(W_q q + W_k k), for queries and keys of
 * different widths, masked softmax over the keys, dropout on the weights while training, then the
 * weighted sum of the values. W_q, W_k [·, numHiddens] and w_v [numHiddens, 1] have no bias; they
 * are built on the first call from the input widths unless `queryDim` and `keyDim` are given.
 *
 *   const attention = new AdditiveAttention({ numHiddens: 8, dropout: 0.1 });
 *   const Y = attention.forward(queries, keys, values, [2, 6]);  // d2l: (2,1,20), (2,10,2), (2,10,4)
 *   attention.attentionWeights;                                    // [2, 1, 10]
 */
import { tf } from '@dlpipe/tensor';
import { z } from 'zod';
import {
  type AttentionCallOptions,
  AttentionPooling,
  checkQueryKeyValue,
  parseAttentionOptions,
} from './attention-pooling.js';
import { assignWeights, Linear, prefixWeights } from './linear.js';
import { maskedSoftmax, type ValidLens } from './masked-softmax.js';

export interface AdditiveAttentionOptions {
  /** Width of the hidden layer the queries and keys are projected to. */
  numHiddens: number;
  /** Dropout rate on the attention weights while training. Default 0. */
  dropout?: number;
  /** Query width; default: taken from the first call. */
  queryDim?: number;
  /** Key width; default: taken from the first call. */
  keyDim?: number;
}

export const additiveAttentionOptionsSchema = z.object({
  numHiddens: z.number().int().positive(),
  dropout: z.number().min(0).max(1).default(0),
  queryDim: z.number().int().positive().optional(),
  keyDim: z.number().int().positive().optional(),
});

export class AdditiveAttention extends AttentionPooling {
  static readonly className = 'AdditiveAttention';
  readonly options: Readonly<z.output<typeof additiveAttentionOptionsSchema>>;
  readonly W_q: Linear;
  readonly W_k: Linear;
  readonly w_v: Linear;

  constructor(options: AdditiveAttentionOptions) {
    super();
    this.options = parseAttentionOptions('AdditiveAttention', additiveAttentionOptionsSchema, options);
    const { numHiddens, queryDim, keyDim } = this.options;
    this.W_q = new Linear({ units: numHiddens, useBias: false, inputDim: queryDim });
    this.W_k = new Linear({ units: numHiddens, useBias: false, inputDim: keyDim });
    this.w_v = new Linear({ units: 1, useBias: false, inputDim: numHiddens });
  }

  /** queries [b, q, dq], keys [b, k, dk], values [b, k, v] → [b, q, v]. */
  forward(
    queries: tf.Tensor3D,
    keys: tf.Tensor3D,
    values: tf.Tensor3D,
    validLens?: ValidLens | null,
    options: AttentionCallOptions = {},
  ): tf.Tensor3D {
    checkQueryKeyValue('AdditiveAttention', queries, keys, values);
    return tf.tidy(() => {
      const q = this.W_q.apply(queries); // [b, q, h]
      const k = this.W_k.apply(keys); // [b, k, h]
      // [b, q, 1, h] + [b, 1, k, h] → [b, q, k, h]: every query with every key.
      const features = tf.tanh(tf.add(tf.expandDims(q, 2), tf.expandDims(k, 1)));
      const scores = tf.squeeze(this.w_v.apply(features), [-1]); // [b, q, k]
      return this.pool(maskedSoftmax(scores, validLens), values, this.options.dropout, options);
    });
  }

  /** `W_q.kernel`, `W_k.kernel`, `w_v.kernel` (once built). */
  namedWeights(): Record<string, tf.Variable> {
    return prefixWeights({ W_q: this.W_q, W_k: this.W_k, w_v: this.w_v });
  }

  trainableVariables(): tf.Variable[] {
    return Object.values(this.namedWeights());
  }

  /** Assigns weights by name (see `namedWeights`), shapes checked. */
  setWeights(values: Readonly<Record<string, tf.Tensor>>): void {
    assignWeights('AdditiveAttention', this.namedWeights(), values);
  }

  /** The options, with the input widths once built (so `fromConfig` makes the weights at once). */
  getConfig(): AdditiveAttentionOptions {
    return { ...this.options, queryDim: this.W_q.inputDim, keyDim: this.W_k.inputDim };
  }

  static fromConfig(config: AdditiveAttentionOptions): AdditiveAttention {
    return new AdditiveAttention(config);
  }

  dispose(): void {
    this.releaseAttentionWeights();
    for (const l of [this.W_q, this.W_k, this.w_v]) l.dispose();
  }
}
