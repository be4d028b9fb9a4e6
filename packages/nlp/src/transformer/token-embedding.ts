/**
 * A token embedding as PyTorch's `nn.Embedding(vocabSize, numHiddens)`: a trainable table
 * [vocabSize, numHiddens] drawn N(0, 1), looked up row by row for int32 token ids.
 *
 *   const embedding = new TokenEmbedding({ vocabSize: 200, numHiddens: 24 });
 *   embedding.forward(tf.tensor2d([[1, 2]], undefined, 'int32'));   // [1, 2, 24]
 */
import { tf } from '@dlpipe/tensor';
import { z } from 'zod';
import { parseAttentionOptions } from '../attention/attention-pooling.js';
import { assignWeights } from '../attention/linear.js';

export interface TokenEmbeddingOptions {
  /** Rows of the table: ids 0 … vocabSize − 1. */
  vocabSize: number;
  /** Features per token. */
  numHiddens: number;
}

export const tokenEmbeddingOptionsSchema = z.object({
  vocabSize: z.number().int().positive(),
  numHiddens: z.number().int().positive(),
});

export class TokenEmbedding {
  static readonly className = 'TokenEmbedding';
  readonly options: Readonly<z.output<typeof tokenEmbeddingOptionsSchema>>;
  /** The table [vocabSize, numHiddens]. */
  readonly weight: tf.Variable<tf.Rank.R2>;

  constructor(options: TokenEmbeddingOptions) {
    this.options = parseAttentionOptions('TokenEmbedding', tokenEmbeddingOptionsSchema, options);
    const init = tf.randomNormal([this.options.vocabSize, this.options.numHiddens]) as tf.Tensor2D;
    this.weight = tf.variable(init);
    init.dispose(); // the variable holds its own reference to the data
  }

  /** ids [...] (any numeric dtype, cast to int32) → [..., numHiddens]. */
  forward(ids: tf.Tensor): tf.Tensor {
    return tf.tidy(() => tf.gather(this.weight, ids.dtype === 'int32' ? ids : tf.cast(ids, 'int32')));
  }

  /** `weight` (PyTorch's name). */
  namedWeights(): Record<string, tf.Variable> {
    return { weight: this.weight };
  }

  trainableVariables(): tf.Variable[] {
    return [this.weight];
  }

  setWeights(values: Readonly<Record<string, tf.Tensor>>): void {
    assignWeights('TokenEmbedding', this.namedWeights(), values);
  }

  getConfig(): TokenEmbeddingOptions {
    return { ...this.options };
  }

  static fromConfig(config: TokenEmbeddingOptions): TokenEmbedding {
    return new TokenEmbedding(config);
  }

  dispose(): void {
    this.weight.dispose();
  }
}
