/**
 * Position information for attention, which is blind to order (d2l §11.6): the sinusoidal
 * `PositionalEncoding`, P[i, 2j] = sin(i / 10000^(2j/d)), P[i, 2j+1] = cos(i / 10000^(2j/d)),
 * added to the inputs and followed by dropout; and `LearnedPositionalEmbedding`, a trainable
 * P [maxLen, numHiddens] (BERT's, d2l §15.8, drawn N(0, 1) as d2l) used the same way.
 *
 *   const pe = new PositionalEncoding({ numHiddens: 32, dropout: 0 });
 *   pe.P;                                           // [1000, 32]: d2l's figure plots columns 6–9
 *   const Y = pe.forward(X, { training: true });    // X [batch, steps, 32] + P[:steps], dropout
 */
import { dropout, tf } from '@dlpipe/tensor';
import { z } from 'zod';
import { AttentionError } from './attention-error.js';
import { type AttentionCallOptions, parseAttentionOptions } from './attention-pooling.js';
import { assignWeights } from './linear.js';

export interface PositionalEncodingOptions {
  /** Features per position (the model width). */
  numHiddens: number;
  /** Dropout rate after adding the positions, while training. Default 0. */
  dropout?: number;
  /** Longest sequence. Default 1000 (d2l). */
  maxLen?: number;
}

export const positionalEncodingOptionsSchema = z.object({
  numHiddens: z.number().int().positive(),
  dropout: z.number().min(0).max(1).default(0),
  maxLen: z.number().int().positive().default(1000),
});

/** The sinusoidal table [maxLen, numHiddens] (computed in float64, stored float32). */
export function sinusoidalPositions(maxLen: number, numHiddens: number): tf.Tensor2D {
  const P = new Float32Array(maxLen * numHiddens);
  for (let i = 0; i < maxLen; i++) {
    for (let j = 0; j < numHiddens; j++) {
      const angle = i / 10000 ** ((2 * Math.floor(j / 2)) / numHiddens);
      P[i * numHiddens + j] = j % 2 === 0 ? Math.sin(angle) : Math.cos(angle);
    }
  }
  return tf.tensor2d(P, [maxLen, numHiddens]);
}

/** X [b, steps, numHiddens] + P[:steps], then dropout while training. */
function addPositions(
  what: string,
  X: tf.Tensor3D,
  P: tf.Tensor2D,
  rate: number,
  options: AttentionCallOptions,
): tf.Tensor3D {
  const [maxLen, d] = P.shape;
  const [, steps, width] = X.shape;
  if (X.rank !== 3 || width !== d || steps > maxLen) {
    throw new AttentionError(
      `${what}: expected X [batch, steps ≤ ${maxLen}, ${d}], got [${X.shape}]; ` +
        'match numHiddens to the input width, or raise maxLen for longer sequences.',
    );
  }
  return tf.tidy(() => {
    const Y = tf.add(X, tf.slice(P, [0, 0], [steps, d]));
    return dropout(Y, rate, { training: options.training === true }) as tf.Tensor3D;
  });
}

export class PositionalEncoding {
  static readonly className = 'PositionalEncoding';
  readonly options: Readonly<z.output<typeof positionalEncodingOptionsSchema>>;
  /** The table [maxLen, numHiddens]; a constant, not trained. */
  readonly P: tf.Tensor2D;

  constructor(options: PositionalEncodingOptions) {
    this.options = parseAttentionOptions('PositionalEncoding', positionalEncodingOptionsSchema, options);
    this.P = sinusoidalPositions(this.options.maxLen, this.options.numHiddens);
  }

  forward(X: tf.Tensor3D, options: AttentionCallOptions = {}): tf.Tensor3D {
    return addPositions('PositionalEncoding', X, this.P, this.options.dropout, options);
  }

  /** No trainable weights. */
  trainableVariables(): tf.Variable[] {
    return [];
  }

  namedWeights(): Record<string, tf.Variable> {
    return {};
  }

  getConfig(): PositionalEncodingOptions {
    return { ...this.options };
  }

  static fromConfig(config: PositionalEncodingOptions): PositionalEncoding {
    return new PositionalEncoding(config);
  }

  dispose(): void {
    this.P.dispose();
  }
}

export class LearnedPositionalEmbedding {
  static readonly className = 'LearnedPositionalEmbedding';
  readonly options: Readonly<z.output<typeof positionalEncodingOptionsSchema>>;
  /** The trainable table [maxLen, numHiddens]. */
  readonly P: tf.Variable<tf.Rank.R2>;

  constructor(options: PositionalEncodingOptions) {
    this.options = parseAttentionOptions(
      'LearnedPositionalEmbedding',
      positionalEncodingOptionsSchema,
      options,
    );
    const init = tf.randomNormal([this.options.maxLen, this.options.numHiddens]);
    this.P = tf.variable(init as tf.Tensor2D);
    init.dispose(); // the variable holds its own reference to the data
  }

  forward(X: tf.Tensor3D, options: AttentionCallOptions = {}): tf.Tensor3D {
    return addPositions('LearnedPositionalEmbedding', X, this.P, this.options.dropout, options);
  }

  /** `P`. */
  namedWeights(): Record<string, tf.Variable> {
    return { P: this.P };
  }

  trainableVariables(): tf.Variable[] {
    return [this.P];
  }

  setWeights(values: Readonly<Record<string, tf.Tensor>>): void {
    assignWeights('LearnedPositionalEmbedding', this.namedWeights(), values);
  }

  getConfig(): PositionalEncodingOptions {
    return { ...this.options };
  }

  static fromConfig(config: PositionalEncodingOptions): LearnedPositionalEmbedding {
    return new LearnedPositionalEmbedding(config);
  }

  dispose(): void {
    this.P.dispose();
  }
}
