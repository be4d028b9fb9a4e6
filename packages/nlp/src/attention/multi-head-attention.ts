/**
 * d2l §11.5's multi-head attention: queries, keys and values projected by W_q, W_k, W_v to
 * `numHiddens`, split into `numHeads` heads of numHiddens/numHeads (`transposeQkv`), scaled
 * dot-product attention in every head at once (heads folded into the batch), the heads joined
 * back (`transposeOutput`) and projected by W_o. Self-attention (d2l §11.6) is the same with
 * queries = keys = values (`selfAttention`). The projections are built on the first call unless
 * `queryDim`, `keyDim` and `valueDim` are given; no bias by default, as d2l.
 *
 *   const mha = new MultiHeadAttention({ numHiddens: 100, numHeads: 5, dropout: 0.5 });
 *   mha.forward(X, Y, Y, [3, 2]);            // X [2, 4, 100], Y [2, 6, 100] → [2, 4, 100]
 *   mha.attentionWeights;                    // [2 · 5, 4, 6]: per example and head
 */
import { tf } from '@dlpipe/tensor';
import { z } from 'zod';
import { AttentionError } from './attention-error.js';
import { type AttentionCallOptions, checkQueryKeyValue, parseAttentionOptions } from './attention-pooling.js';
import { DotProductAttention } from './dot-product-attention.js';
import { assignWeights, Linear, prefixWeights } from './linear.js';
import { checkValidLens, type ValidLens, validLensTensor } from './masked-softmax.js';

export interface MultiHeadAttentionOptions {
  /** Width of the projections and of the output; `numHeads` must divide it. */
  numHiddens: number;
  /** Heads, each of width numHiddens / numHeads. */
  numHeads: number;
  /** Dropout rate on the attention weights while training. Default 0. */
  dropout?: number;
  /** Biases in W_q, W_k, W_v, W_o. Default false (d2l). */
  bias?: boolean;
  /** Query width; default: taken from the first call. */
  queryDim?: number;
  /** Key width; default: taken from the first call. */
  keyDim?: number;
  /** Value width; default: taken from the first call. */
  valueDim?: number;
}

export const multiHeadAttentionOptionsSchema = z
  .object({
    numHiddens: z.number().int().positive(),
    numHeads: z.number().int().positive(),
    dropout: z.number().min(0).max(1).default(0),
    bias: z.boolean().default(false),
    queryDim: z.number().int().positive().optional(),
    keyDim: z.number().int().positive().optional(),
    valueDim: z.number().int().positive().optional(),
  })
  .refine((o) => o.numHiddens % o.numHeads === 0, {
    message: 'numHeads must divide numHiddens (each head gets numHiddens / numHeads features)',
    path: ['numHeads'],
  });

/** d2l's `transpose_qkv`: [b, steps, numHiddens] → [b · numHeads, steps, numHiddens / numHeads]. */
export function transposeQkv(X: tf.Tensor, numHeads: number): tf.Tensor3D {
  const [b, steps, h] = X.shape as [number, number, number];
  if (X.rank !== 3 || h % numHeads !== 0) {
    throw new AttentionError(
      `transposeQkv: expected [batch, steps, features] with features divisible by ${numHeads} heads, got [${X.shape}].`,
    );
  }
  return tf.tidy(() =>
    tf.reshape(tf.transpose(tf.reshape(X, [b, steps, numHeads, h / numHeads]), [0, 2, 1, 3]), [
      b * numHeads,
      steps,
      h / numHeads,
    ]),
  );
}

/** d2l's `transpose_output`, the inverse: [b · numHeads, steps, d] → [b, steps, numHeads · d]. */
export function transposeOutput(X: tf.Tensor, numHeads: number): tf.Tensor3D {
  const [bh, steps, d] = X.shape as [number, number, number];
  if (X.rank !== 3 || bh % numHeads !== 0) {
    throw new AttentionError(
      `transposeOutput: expected [batch · ${numHeads}, steps, features], got [${X.shape}].`,
    );
  }
  return tf.tidy(() =>
    tf.reshape(tf.transpose(tf.reshape(X, [bh / numHeads, numHeads, steps, d]), [0, 2, 1, 3]), [
      bh / numHeads,
      steps,
      numHeads * d,
    ]),
  );
}

/**
 * Valid lengths [b] or [b, q] repeated for every head, as d2l's `repeat_interleave(valid_lens,
 * numHeads, dim=0)`: [b · numHeads] or [b · numHeads, q]. Call in a tidy.
 */
function lensPerHead(validLens: ValidLens, numHeads: number, queries: tf.Tensor3D): tf.Tensor {
  const lens = validLensTensor(validLens);
  const [b, q] = queries.shape;
  checkValidLens('MultiHeadAttention', lens.shape, b, q);
  const rest = lens.shape.slice(1);
  const tiled = tf.tile(tf.expandDims(lens, 1), [1, numHeads, ...rest.map(() => 1)]);
  return tf.reshape(tiled, [b * numHeads, ...rest]);
}

export class MultiHeadAttention {
  static readonly className = 'MultiHeadAttention';
  readonly options: Readonly<z.output<typeof multiHeadAttentionOptionsSchema>>;
  /** The scaled dot-product attention of all heads; its `attentionWeights` are [b · numHeads, q, k]. */
  readonly attention: DotProductAttention;
  readonly W_q: Linear;
  readonly W_k: Linear;
  readonly W_v: Linear;
  readonly W_o: Linear;

  constructor(options: MultiHeadAttentionOptions) {
    this.options = parseAttentionOptions('MultiHeadAttention', multiHeadAttentionOptionsSchema, options);
    const { numHiddens, bias: useBias, dropout } = this.options;
    this.attention = new DotProductAttention({ dropout });
    const linear = (inputDim?: number) => new Linear({ units: numHiddens, useBias, inputDim });
    this.W_q = linear(this.options.queryDim);
    this.W_k = linear(this.options.keyDim);
    this.W_v = linear(this.options.valueDim);
    this.W_o = linear(numHiddens);
  }

  /** The last call's attention weights, [batch · numHeads, queries, keys] (head j of example i at i · numHeads + j). */
  get attentionWeights(): tf.Tensor3D | undefined {
    return this.attention.attentionWeights;
  }

  /** queries [b, q, dq], keys [b, k, dk], values [b, k, dv] → [b, q, numHiddens]. */
  forward(
    queries: tf.Tensor3D,
    keys: tf.Tensor3D,
    values: tf.Tensor3D,
    validLens?: ValidLens | null,
    options: AttentionCallOptions = {},
  ): tf.Tensor3D {
    checkQueryKeyValue('MultiHeadAttention', queries, keys, values);
    const h = this.options.numHeads;
    return tf.tidy(() => {
      const q = transposeQkv(this.W_q.apply(queries), h);
      const k = transposeQkv(this.W_k.apply(keys), h);
      const v = transposeQkv(this.W_v.apply(values), h);
      const lens = validLens === undefined || validLens === null ? null : lensPerHead(validLens, h, queries);
      const output = this.attention.forward(q, k, v, lens, options);
      return this.W_o.apply(transposeOutput(output, h)) as tf.Tensor3D;
    });
  }

  /** `W_q.kernel`, `W_k.kernel`, `W_v.kernel`, `W_o.kernel` (and `.bias` with `bias: true`), once built. */
  namedWeights(): Record<string, tf.Variable> {
    return prefixWeights({ W_q: this.W_q, W_k: this.W_k, W_v: this.W_v, W_o: this.W_o });
  }

  trainableVariables(): tf.Variable[] {
    return Object.values(this.namedWeights());
  }

  /** Assigns weights by name (see `namedWeights`), shapes checked. */
  setWeights(values: Readonly<Record<string, tf.Tensor>>): void {
    assignWeights('MultiHeadAttention', this.namedWeights(), values);
  }

  /** The options, with the input widths once built (so `fromConfig` makes the weights at once). */
  getConfig(): MultiHeadAttentionOptions {
    return {
      ...this.options,
      queryDim: this.W_q.inputDim,
      keyDim: this.W_k.inputDim,
      valueDim: this.W_v.inputDim,
    };
  }

  static fromConfig(config: MultiHeadAttentionOptions): MultiHeadAttention {
    return new MultiHeadAttention(config);
  }

  dispose(): void {
    this.attention.dispose();
    for (const l of [this.W_q, this.W_k, this.W_v, this.W_o]) l.dispose();
  }
}

/** d2l §11.6's self-attention: multi-head attention with queries = keys = values = X. */
export function selfAttention(
  mha: MultiHeadAttention,
  X: tf.Tensor3D,
  validLens?: ValidLens | null,
  options: AttentionCallOptions = {},
): tf.Tensor3D {
  return mha.forward(X, X, X, validLens, options);
}
