/**
 * d2l §11.7.3's `AddNorm`: the residual connection followed by layer normalization,
 * ln(dropout(Y) + X), where X is a sublayer's input and Y its output (dropout while training).
 *
 *   const addNorm = new AddNorm({ normShape: 4, dropout: 0.5 });
 *   addNorm.forward(tf.ones([2, 3, 4]), tf.ones([2, 3, 4]));     // [2, 3, 4] (d2l's example)
 */
import { dropout, tf } from '@dlpipe/tensor';
import { z } from 'zod';
import { AttentionError } from '../attention/attention-error.js';
import { type AttentionCallOptions, parseAttentionOptions } from '../attention/attention-pooling.js';
import { assignWeights } from '../attention/linear.js';
import { LayerNorm } from './layer-norm.js';

export interface AddNormOptions {
  /** Features normalized (the model width). */
  normShape: number;
  /** Dropout rate on the sublayer's output while training. Default 0. */
  dropout?: number;
}

export const addNormOptionsSchema = z.object({
  normShape: z.number().int().positive(),
  dropout: z.number().min(0).max(1).default(0),
});

export class AddNorm {
  static readonly className = 'AddNorm';
  readonly options: Readonly<z.output<typeof addNormOptionsSchema>>;
  readonly ln: LayerNorm;

  constructor(options: AddNormOptions) {
    this.options = parseAttentionOptions('AddNorm', addNormOptionsSchema, options);
    this.ln = new LayerNorm({ normShape: this.options.normShape });
  }

  /** ln(dropout(Y) + X); X and Y of one shape. */
  forward<T extends tf.Tensor>(X: T, Y: T, options: AttentionCallOptions = {}): T {
    if (X.shape.join() !== Y.shape.join()) {
      throw new AttentionError(
        `AddNorm: the residual X [${X.shape}] and the sublayer output Y [${Y.shape}] must have one shape.`,
      );
    }
    return tf.tidy(() =>
      this.ln.forward(
        tf.add(dropout(Y, this.options.dropout, { training: options.training === true }), X) as T,
      ),
    );
  }

  /** `ln.weight`, `ln.bias`. */
  namedWeights(): Record<string, tf.Variable> {
    return { 'ln.weight': this.ln.weight, 'ln.bias': this.ln.bias };
  }

  trainableVariables(): tf.Variable[] {
    return this.ln.trainableVariables();
  }

  setWeights(values: Readonly<Record<string, tf.Tensor>>): void {
    assignWeights('AddNorm', this.namedWeights(), values);
  }

  getConfig(): AddNormOptions {
    return { ...this.options };
  }

  static fromConfig(config: AddNormOptions): AddNorm {
    return new AddNorm(config);
  }

  dispose(): void {
    this.ln.dispose();
  }
}
