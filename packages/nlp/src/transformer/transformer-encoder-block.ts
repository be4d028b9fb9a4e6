/**
 * d2l §11.7.4's `TransformerEncoderBlock`: multi-head self-attention over the source (keys past
 * each valid length masked), AddNorm, the position-wise FFN, AddNorm. Width in = width out, so
 * blocks stack. Also the options every Transformer block shares (`transformerBlockOptionsSchema`).
 *
 *   const blk = new TransformerEncoderBlock({ numHiddens: 24, ffnNumHiddens: 48, numHeads: 8, dropout: 0.5 });
 *   blk.forward(tf.ones([2, 100, 24]), [3, 2]);     // → [2, 100, 24] (d2l's check)
 */
import { tf } from '@dlpipe/tensor';
import { z } from 'zod';
import { type AttentionCallOptions, parseAttentionOptions } from '../attention/attention-pooling.js';
import { assignWeights, prefixWeights } from '../attention/linear.js';
import type { ValidLens } from '../attention/masked-softmax.js';
import { MultiHeadAttention } from '../attention/multi-head-attention.js';
import { AddNorm } from './add-norm.js';
import { PositionWiseFFN } from './position-wise-ffn.js';

export interface TransformerBlockOptions {
  /** Model width: embeddings, attention and every block's output. */
  numHiddens: number;
  /** Hidden width of the position-wise FFN. */
  ffnNumHiddens: number;
  /** Attention heads; must divide numHiddens. */
  numHeads: number;
  /** Dropout on attention weights and sublayer outputs while training. Default 0. */
  dropout?: number;
  /** Biases in the attention projections. Default false (d2l). */
  useBias?: boolean;
}

/** The fields of `TransformerBlockOptions` (extend it, then refine with `headsDivideWidth`). */
export const transformerBlockFields = z.object({
  numHiddens: z.number().int().positive(),
  ffnNumHiddens: z.number().int().positive(),
  numHeads: z.number().int().positive(),
  dropout: z.number().min(0).max(1).default(0),
  useBias: z.boolean().default(false),
});

/** The rule every Transformer config keeps: numHeads divides numHiddens. */
export const headsDivideWidth: [
  (o: { numHiddens: number; numHeads: number }) => boolean,
  { message: string; path: PropertyKey[] },
] = [
  (o) => o.numHiddens % o.numHeads === 0,
  {
    message:
      'numHeads must divide numHiddens (each head gets numHiddens / numHeads features); ' +
      'e.g. numHiddens 256 with 4 or 8 heads',
    path: ['numHeads'],
  },
];

export const transformerBlockOptionsSchema = transformerBlockFields.refine(...headsDivideWidth);

/** Multi-head attention of a block: inputs of the model width, built at once. */
export function transformerBlockAttention(o: z.output<typeof transformerBlockFields>): MultiHeadAttention {
  const d = o.numHiddens;
  return new MultiHeadAttention({
    numHiddens: d,
    numHeads: o.numHeads,
    dropout: o.dropout,
    bias: o.useBias,
    queryDim: d,
    keyDim: d,
    valueDim: d,
  });
}

export class TransformerEncoderBlock {
  static readonly className = 'TransformerEncoderBlock';
  readonly options: Readonly<z.output<typeof transformerBlockOptionsSchema>>;
  readonly attention: MultiHeadAttention;
  readonly addnorm1: AddNorm;
  readonly ffn: PositionWiseFFN;
  readonly addnorm2: AddNorm;

  constructor(options: TransformerBlockOptions) {
    this.options = parseAttentionOptions('TransformerEncoderBlock', transformerBlockOptionsSchema, options);
    const { numHiddens, ffnNumHiddens, dropout } = this.options;
    this.attention = transformerBlockAttention(this.options);
    this.addnorm1 = new AddNorm({ normShape: numHiddens, dropout });
    this.ffn = new PositionWiseFFN({ ffnNumHiddens, ffnNumOutputs: numHiddens, inputDim: numHiddens });
    this.addnorm2 = new AddNorm({ normShape: numHiddens, dropout });
  }

  /** X [b, steps, numHiddens], valid lengths [b] (or [b, steps]) → [b, steps, numHiddens]. */
  forward(X: tf.Tensor3D, validLens?: ValidLens | null, options: AttentionCallOptions = {}): tf.Tensor3D {
    return tf.tidy(() => {
      const Y = this.addnorm1.forward(X, this.attention.forward(X, X, X, validLens, options), options);
      return this.addnorm2.forward(Y, this.ffn.forward(Y), options);
    });
  }

  /** The last call's self-attention weights, [b · numHeads, steps, steps]. */
  get attentionWeights(): tf.Tensor3D | undefined {
    return this.attention.attentionWeights;
  }

  /** `attention.W_q.kernel`, …, `addnorm1.ln.weight`, `ffn.dense1.kernel`, … (d2l's module names). */
  namedWeights(): Record<string, tf.Variable> {
    const { attention, addnorm1, ffn, addnorm2 } = this;
    return prefixWeights({ attention, addnorm1, ffn, addnorm2 });
  }

  trainableVariables(): tf.Variable[] {
    return Object.values(this.namedWeights());
  }

  setWeights(values: Readonly<Record<string, tf.Tensor>>): void {
    assignWeights('TransformerEncoderBlock', this.namedWeights(), values);
  }

  getConfig(): TransformerBlockOptions {
    return { ...this.options };
  }

  static fromConfig(config: TransformerBlockOptions): TransformerEncoderBlock {
    return new TransformerEncoderBlock(config);
  }

  dispose(): void {
    for (const m of [this.attention, this.addnorm1, this.ffn, this.addnorm2]) m.dispose();
  }
}
