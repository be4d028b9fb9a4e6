/**
 * d2l §11.7.2's `PositionWiseFFN`: the same two-layer MLP applied at every position,
 * dense2(relu(dense1(X))), widths numHiddens → ffnNumHiddens → ffnNumOutputs, with biases
 * (PyTorch's `nn.Linear` initialization, U(±1/√in)).
 *
 *   const ffn = new PositionWiseFFN({ ffnNumHiddens: 4, ffnNumOutputs: 8 });
 *   ffn.forward(tf.ones([2, 3, 4]));                // → [2, 3, 8] (d2l's example)
 */
import { tf } from '@dlpipe/tensor';
import { z } from 'zod';
import { parseAttentionOptions } from '../attention/attention-pooling.js';
import { assignWeights, Linear, prefixWeights } from '../attention/linear.js';

export interface PositionWiseFFNOptions {
  /** Width of the hidden layer. */
  ffnNumHiddens: number;
  /** Width of the output (the model width in a Transformer). */
  ffnNumOutputs: number;
  /** Width of the input; default: taken from the first call (d2l's LazyLinear). */
  inputDim?: number;
}

export const positionWiseFFNOptionsSchema = z.object({
  ffnNumHiddens: z.number().int().positive(),
  ffnNumOutputs: z.number().int().positive(),
  inputDim: z.number().int().positive().optional(),
});

export class PositionWiseFFN {
  static readonly className = 'PositionWiseFFN';
  readonly options: Readonly<z.output<typeof positionWiseFFNOptionsSchema>>;
  readonly dense1: Linear;
  readonly dense2: Linear;

  constructor(options: PositionWiseFFNOptions) {
    this.options = parseAttentionOptions('PositionWiseFFN', positionWiseFFNOptionsSchema, options);
    const { ffnNumHiddens, ffnNumOutputs, inputDim } = this.options;
    this.dense1 = new Linear({ units: ffnNumHiddens, inputDim });
    this.dense2 = new Linear({ units: ffnNumOutputs, inputDim: ffnNumHiddens });
  }

  /** X [..., inputDim] → [..., ffnNumOutputs]. */
  forward<T extends tf.Tensor>(X: T): T {
    return tf.tidy(() => this.dense2.apply(tf.relu(this.dense1.apply(X))) as T);
  }

  /** `dense1.kernel`, `dense1.bias`, `dense2.kernel`, `dense2.bias` (dense1 once built). */
  namedWeights(): Record<string, tf.Variable> {
    return prefixWeights({ dense1: this.dense1, dense2: this.dense2 });
  }

  trainableVariables(): tf.Variable[] {
    return Object.values(this.namedWeights());
  }

  setWeights(values: Readonly<Record<string, tf.Tensor>>): void {
    assignWeights('PositionWiseFFN', this.namedWeights(), values);
  }

  getConfig(): PositionWiseFFNOptions {
    return { ...this.options, inputDim: this.dense1.inputDim };
  }

  static fromConfig(config: PositionWiseFFNOptions): PositionWiseFFN {
    return new PositionWiseFFN(config);
  }

  dispose(): void {
    this.dense1.dispose();
    this.dense2.dispose();
  }
}
