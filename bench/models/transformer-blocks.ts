/**
 * The pieces of d2l's Transformer (ch. 11.7) as plain tf ops over named `tf.variable`s:
 * masked softmax, multi-head attention, add & norm, the position-wise FFN, positional encoding.
 *
 *   const params = new ParamStore('enc');
 *   const att = new MultiHeadAttention({ params, name: 'att', numHiddens: 32, numHeads: 4, dropout: 0.1 });
 *   const Y = att.forward(X, X, X, validLens, true);
 */
import { layerNorm as layerNormOp, tf } from '@dlpipe/tensor';

/** Named trainable variables of one model, initialised as PyTorch initialises its modules. */
export class ParamStore {
  readonly vars: Record<string, tf.Variable> = {};

  /** A `[numIn, numOut]` weight (and `[numOut]` bias), uniform ±1/√numIn like `nn.Linear`. */
  linear(name: string, numIn: number, numOut: number, bias = true): { W: tf.Variable; b?: tf.Variable } {
    const bound = 1 / Math.sqrt(numIn);
    const W = this.add(`${name}.W`, tf.randomUniform([numIn, numOut], -bound, bound));
    return bias ? { W, b: this.add(`${name}.b`, tf.randomUniform([numOut], -bound, bound)) } : { W };
  }

  /** A `[vocabSize, numHiddens]` table, standard normal like `nn.Embedding`. */
  embedding(name: string, vocabSize: number, numHiddens: number): tf.Variable {
    return this.add(name, tf.randomNormal([vocabSize, numHiddens]));
  }

  /** A layer-norm's gain (ones) and shift (zeros). */
  layerNorm(name: string, n: number): { gamma: tf.Variable; beta: tf.Variable } {
    return { gamma: this.add(`${name}.gamma`, tf.ones([n])), beta: this.add(`${name}.beta`, tf.zeros([n])) };
  }

  private add(name: string, init: tf.Tensor): tf.Variable {
    if (this.vars[name])
      throw new Error(`parameter '${name}' is defined twice; give each block its own name`);
    const v = tf.variable(init, true, name);
    init.dispose();
    this.vars[name] = v;
    return v;
  }
}

/** `X @ W + b` over the last axis of a tensor of any rank. */
export function linear(X: tf.Tensor, p: { W: tf.Variable; b?: tf.Variable }): tf.Tensor {
  const [numIn, numOut] = p.W.shape as [number, number];
  const Y = tf.matMul(tf.reshape(X, [-1, numIn]), p.W);
  return tf.reshape(p.b ? tf.add(Y, p.b) : Y, [...X.shape.slice(0, -1), numOut]);
}

/** `0, 1, …, n-1` as an int32 tensor, built on the host (no Range kernel needed). */
export function arange(n: number): tf.Tensor1D {
  return tf.tensor1d(
    Int32Array.from({ length: n }, (_, i) => i),
    'int32',
  );
}

/**
 * d2l's `masked_softmax`: softmax over the last axis of `X` (`[N, Lq, Lk]`) where keys at or past
 * `validLens` (`[N]` per row, or `[N, Lq]` per query) are filled with -1e6 first.
 */
export function maskedSoftmax(X: tf.Tensor3D, validLens?: tf.Tensor): tf.Tensor3D {
  if (!validLens) return tf.softmax(X);
  const [N, Lq, Lk] = X.shape;
  const lens = validLens.rank === 1 ? tf.reshape(validLens, [N, 1, 1]) : tf.reshape(validLens, [N, Lq, 1]);
  const mask = tf.broadcastTo(tf.less(tf.reshape(arange(Lk), [1, 1, Lk]), lens), X.shape);
  return tf.softmax(tf.where(mask, X, tf.fill(X.shape, -1e6)));
}

/** Options of `MultiHeadAttention`. */
export interface MultiHeadAttentionOptions {
  /** Where its weights live. */
  params: ParamStore;
  /** Unique name prefix of its weights. */
  name: string;
  /** Width of queries, keys, values and output. */
  numHiddens: number;
  /** Number of heads; must divide `numHiddens`. */
  numHeads: number;
  /** Dropout rate on the attention weights. */
  dropout: number;
}

/** d2l's `MultiHeadAttention`: scaled dot-product attention in `numHeads` heads, no biases. */
export class MultiHeadAttention {
  private readonly Wq;
  private readonly Wk;
  private readonly Wv;
  private readonly Wo;

  constructor(private readonly options: MultiHeadAttentionOptions) {
    const { params, name, numHiddens: n } = options;
    if (n % options.numHeads !== 0)
      throw new Error(`numHeads ${options.numHeads} must divide numHiddens ${n}`);
    this.Wq = params.linear(`${name}.Wq`, n, n, false);
    this.Wk = params.linear(`${name}.Wk`, n, n, false);
    this.Wv = params.linear(`${name}.Wv`, n, n, false);
    this.Wo = params.linear(`${name}.Wo`, n, n, false);
  }

  /** `[B, L, n]` → `[B·h, L, n/h]`. */
  private transposeQKV(X: tf.Tensor): tf.Tensor3D {
    const [B, L, n] = X.shape as [number, number, number];
    const h = this.options.numHeads;
    return tf.reshape(tf.transpose(tf.reshape(X, [B, L, h, n / h]), [0, 2, 1, 3]), [B * h, L, n / h]);
  }

  /** `[B·h, L, n/h]` → `[B, L, n]`. */
  private transposeOutput(X: tf.Tensor3D): tf.Tensor {
    const [Bh, L, d] = X.shape;
    const h = this.options.numHeads;
    return tf.reshape(tf.transpose(tf.reshape(X, [Bh / h, h, L, d]), [0, 2, 1, 3]), [Bh / h, L, h * d]);
  }

  /** Repeats each example's valid lengths once per head (`repeat_interleave`). */
  private repeatLens(validLens: tf.Tensor): tf.Tensor {
    const h = this.options.numHeads;
    const [B, ...rest] = validLens.shape;
    return tf.reshape(tf.tile(tf.expandDims(validLens, 1), [1, h, ...rest.map(() => 1)]), [B! * h, ...rest]);
  }

  forward(
    queries: tf.Tensor,
    keys: tf.Tensor,
    values: tf.Tensor,
    validLens: tf.Tensor | undefined,
    training: boolean,
  ) {
    const q = this.transposeQKV(linear(queries, this.Wq));
    const k = this.transposeQKV(linear(keys, this.Wk));
    const v = this.transposeQKV(linear(values, this.Wv));
    const scores = tf.div(tf.matMul(q, k, false, true), Math.sqrt(q.shape[2])) as tf.Tensor3D;
    const weights = maskedSoftmax(scores, validLens && this.repeatLens(validLens));
    const dropped = training ? tf.dropout(weights, this.options.dropout) : weights;
    return linear(this.transposeOutput(tf.matMul(dropped as tf.Tensor3D, v)), this.Wo);
  }
}

/** Layer norm over the last axis (eps 1e-5, as `nn.LayerNorm`): @dlpipe/tensor's fused op. */
export function layerNorm(X: tf.Tensor, p: { gamma: tf.Variable; beta: tf.Variable }): tf.Tensor {
  return layerNormOp(X, p.gamma as tf.Tensor1D, p.beta as tf.Tensor1D, 1e-5);
}

/** d2l's `AddNorm`: `layerNorm(dropout(Y) + X)`. */
export function addNorm(
  X: tf.Tensor,
  Y: tf.Tensor,
  p: { gamma: tf.Variable; beta: tf.Variable },
  dropout: number,
  training: boolean,
): tf.Tensor {
  return layerNorm(tf.add(training ? tf.dropout(Y, dropout) : Y, X), p);
}

/** d2l's `PositionWiseFFN` weights: dense(numHiddens → ffnNumHiddens) → ReLU → dense back. */
export interface FfnParams {
  dense1: { W: tf.Variable; b?: tf.Variable };
  dense2: { W: tf.Variable; b?: tf.Variable };
}

export function positionWiseFFN(X: tf.Tensor, p: FfnParams): tf.Tensor {
  return linear(tf.relu(linear(X, p.dense1)), p.dense2);
}

/** d2l's `PositionalEncoding` table `P` (`[maxLen, numHiddens]`): sin on even, cos on odd columns. */
export function positionalEncoding(numHiddens: number, maxLen = 1000): tf.Tensor2D {
  const P = new Float32Array(maxLen * numHiddens);
  for (let pos = 0; pos < maxLen; pos++) {
    for (let i = 0; i < numHiddens; i += 2) {
      const angle = pos / 10000 ** (i / numHiddens);
      P[pos * numHiddens + i] = Math.sin(angle);
      if (i + 1 < numHiddens) P[pos * numHiddens + i + 1] = Math.cos(angle);
    }
  }
  return tf.tensor2d(P, [maxLen, numHiddens]);
}
