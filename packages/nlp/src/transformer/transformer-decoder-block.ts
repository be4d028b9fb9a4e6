/**
 * d2l §11.7.5's `TransformerDecoderBlock`: masked multi-head self-attention, AddNorm,
 * encoder–decoder attention (queries from the decoder, keys and values the encoder outputs with
 * the source valid lengths), AddNorm, the position-wise FFN, AddNorm.
 *
 * The self-attention's keys and values are the block's inputs of every step so far: the `cache`
 * of earlier steps (d2l's `state[2][i]`) followed by this call's X; the call returns that
 * concatenation for the next step. Query t of X sees the cached steps and X's first t + 1 steps
 * (valid lengths offset + 1 … offset + T per row): d2l's causal mask 1 … T in training, and with
 * T = 1 every cached key, as d2l's prediction; unlike d2l, a teacher-forced pass in eval mode is
 * causal too, so it equals decoding step by step.
 *
 *   const blk = new TransformerDecoderBlock({ numHiddens: 24, ffnNumHiddens: 48, numHeads: 8, dropout: 0.5 });
 *   const { output, keyValues } = blk.forward(X, { encOutputs, encValidLens: [3, 2] });  // X [2, 100, 24]
 */
import { tf } from '@dlpipe/tensor';
import type { z } from 'zod';
import { AttentionError } from '../attention/attention-error.js';
import { type AttentionCallOptions, parseAttentionOptions } from '../attention/attention-pooling.js';
import { assignWeights, prefixWeights } from '../attention/linear.js';
import type { ValidLens } from '../attention/masked-softmax.js';
import type { MultiHeadAttention } from '../attention/multi-head-attention.js';
import { AddNorm } from './add-norm.js';
import { PositionWiseFFN } from './position-wise-ffn.js';
import {
  type TransformerBlockOptions,
  transformerBlockAttention,
  transformerBlockOptionsSchema,
} from './transformer-encoder-block.js';

/** What a decoder block reads besides X. */
export interface DecoderBlockInput {
  /** [b, srcSteps, numHiddens] encoder outputs. */
  encOutputs: tf.Tensor3D;
  /** [b] source valid lengths (null: every source step is valid). */
  encValidLens?: ValidLens | null;
  /** [b, cached, numHiddens] this block's inputs at the earlier steps; none before the first step. */
  cache?: tf.Tensor3D | null;
}

/** Causal valid lengths [b, T]: offset + 1 … offset + T in every row. */
export function causalValidLens(batch: number, steps: number, offset: number): tf.Tensor2D {
  return tf.tidy(() =>
    tf.tile(tf.reshape(tf.range(offset + 1, offset + steps + 1, 1, 'int32'), [1, steps]), [batch, 1]),
  ) as tf.Tensor2D;
}

export class TransformerDecoderBlock {
  static readonly className = 'TransformerDecoderBlock';
  readonly options: Readonly<z.output<typeof transformerBlockOptionsSchema>>;
  /** Masked self-attention. */
  readonly attention1: MultiHeadAttention;
  readonly addnorm1: AddNorm;
  /** Encoder–decoder attention. */
  readonly attention2: MultiHeadAttention;
  readonly addnorm2: AddNorm;
  readonly ffn: PositionWiseFFN;
  readonly addnorm3: AddNorm;

  constructor(options: TransformerBlockOptions) {
    this.options = parseAttentionOptions('TransformerDecoderBlock', transformerBlockOptionsSchema, options);
    const { numHiddens, ffnNumHiddens, dropout } = this.options;
    // d2l's decoder attention takes no use_bias: never biased.
    this.attention1 = transformerBlockAttention({ ...this.options, useBias: false });
    this.addnorm1 = new AddNorm({ normShape: numHiddens, dropout });
    this.attention2 = transformerBlockAttention({ ...this.options, useBias: false });
    this.addnorm2 = new AddNorm({ normShape: numHiddens, dropout });
    this.ffn = new PositionWiseFFN({ ffnNumHiddens, ffnNumOutputs: numHiddens, inputDim: numHiddens });
    this.addnorm3 = new AddNorm({ normShape: numHiddens, dropout });
  }

  /**
   * X [b, T, numHiddens] → `output` [b, T, numHiddens] and `keyValues` [b, cached + T, numHiddens],
   * the cache for the next call (a new tensor; the caller owns both).
   */
  forward(
    X: tf.Tensor3D,
    input: DecoderBlockInput,
    options: AttentionCallOptions = {},
  ): { output: tf.Tensor3D; keyValues: tf.Tensor3D } {
    const { encOutputs, encValidLens, cache } = input;
    const [b, steps] = X.shape;
    if (cache && (cache.shape[0] !== b || cache.shape[2] !== X.shape[2])) {
      throw new AttentionError(
        `TransformerDecoderBlock: cached keys/values [${cache.shape}] do not fit X [${X.shape}]; ` +
          'pass the keyValues this block returned for the same batch rows (gather the state after reordering beams).',
      );
    }
    return tf.tidy(() => {
      const keyValues = cache ? (tf.concat([cache, X], 1) as tf.Tensor3D) : tf.clone(X);
      const offset = keyValues.shape[1] - steps;
      const decValidLens = causalValidLens(b, steps, offset);
      const X2 = this.attention1.forward(X, keyValues, keyValues, decValidLens, options);
      const Y = this.addnorm1.forward(X, X2, options);
      const Y2 = this.attention2.forward(Y, encOutputs, encOutputs, encValidLens, options);
      const Z = this.addnorm2.forward(Y, Y2, options);
      return { output: this.addnorm3.forward(Z, this.ffn.forward(Z), options), keyValues };
    });
  }

  /** The last call's self-attention weights, [b · numHeads, T, cached + T]. */
  get selfAttentionWeights(): tf.Tensor3D | undefined {
    return this.attention1.attentionWeights;
  }

  /** The last call's encoder–decoder attention weights, [b · numHeads, T, srcSteps]. */
  get crossAttentionWeights(): tf.Tensor3D | undefined {
    return this.attention2.attentionWeights;
  }

  /** `attention1.W_q.kernel`, …, `addnorm3.ln.bias` (d2l's module names). */
  namedWeights(): Record<string, tf.Variable> {
    const { attention1, addnorm1, attention2, addnorm2, ffn, addnorm3 } = this;
    return prefixWeights({ attention1, addnorm1, attention2, addnorm2, ffn, addnorm3 });
  }

  trainableVariables(): tf.Variable[] {
    return Object.values(this.namedWeights());
  }

  setWeights(values: Readonly<Record<string, tf.Tensor>>): void {
    assignWeights('TransformerDecoderBlock', this.namedWeights(), values);
  }

  getConfig(): TransformerBlockOptions {
    return { ...this.options };
  }

  static fromConfig(config: TransformerBlockOptions): TransformerDecoderBlock {
    return new TransformerDecoderBlock(config);
  }

  dispose(): void {
    const parts = [this.attention1, this.addnorm1, this.attention2, this.addnorm2, this.ffn, this.addnorm3];
    for (const m of parts) m.dispose();
  }
}
