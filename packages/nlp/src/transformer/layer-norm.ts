/**
 * Layer normalization over the last axis (Ba et al. 2016; PyTorch's `nn.LayerNorm(numHiddens)`,
 * used by d2l §11.7's AddNorm): each position's features are standardized with their own mean and
 * biased variance, then scaled by `weight` (init ones) and shifted by `bias` (init zeros);
 * @dlpipe/tensor's `layerNorm` (one kernel each way on the native backend).
 *
 *   const ln = new LayerNorm({ normShape: 8 });
 *   ln.forward(X);                                  // X [batch, steps, 8] → same shape
 */
import { layerNorm, tf } from '@dlpipe/tensor';
import { z } from 'zod';
import { AttentionError } from '../attention/attention-error.js';
import { parseAttentionOptions } from '../attention/attention-pooling.js';
import { assignWeights } from '../attention/linear.js';

export interface LayerNormOptions {
  /** Features normalized together (the last axis' width). */
  normShape: number;
  /** Added to the variance. Default 1e-5 (PyTorch). */
  eps?: number;
}

export const layerNormOptionsSchema = z.object({
  normShape: z.number().int().positive(),
  eps: z.number().positive().default(1e-5),
});

export class LayerNorm {
  static readonly className = 'LayerNorm';
  readonly options: Readonly<z.output<typeof layerNormOptionsSchema>>;
  /** The scale γ [normShape]. */
  readonly weight: tf.Variable<tf.Rank.R1>;
  /** The shift β [normShape]. */
  readonly bias: tf.Variable<tf.Rank.R1>;

  constructor(options: LayerNormOptions) {
    this.options = parseAttentionOptions('LayerNorm', layerNormOptionsSchema, options);
    const variable = (init: tf.Tensor1D) => {
      const v = tf.variable(init);
      init.dispose(); // the variable holds its own reference to the data
      return v;
    };
    this.weight = variable(tf.ones([this.options.normShape]));
    this.bias = variable(tf.zeros([this.options.normShape]));
  }

  /** (X − mean) / √(var + eps) · weight + bias over the last axis of X. */
  forward<T extends tf.Tensor>(X: T): T {
    const width = X.shape[X.rank - 1];
    if (width !== this.options.normShape) {
      throw new AttentionError(
        `LayerNorm: inputs end in ${width} features but the layer normalizes ${this.options.normShape}; ` +
          'build it with normShape equal to the model width.',
      );
    }
    return layerNorm(X, this.weight, this.bias, this.options.eps);
  }

  /** `weight` and `bias` (PyTorch's names). */
  namedWeights(): Record<string, tf.Variable> {
    return { weight: this.weight, bias: this.bias };
  }

  trainableVariables(): tf.Variable[] {
    return [this.weight, this.bias];
  }

  setWeights(values: Readonly<Record<string, tf.Tensor>>): void {
    assignWeights('LayerNorm', this.namedWeights(), values);
  }

  getConfig(): LayerNormOptions {
    return { ...this.options };
  }

  static fromConfig(config: LayerNormOptions): LayerNorm {
    return new LayerNorm(config);
  }

  dispose(): void {
    this.weight.dispose();
    this.bias.dispose();
  }
}
