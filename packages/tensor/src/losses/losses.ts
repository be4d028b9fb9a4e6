/**
 * Loss functions, each returning a scalar mean over the batch (PyTorch's `reduction='mean'`).
 *
 *   const l = softmaxCrossEntropy(logits, labels, { labelSmoothing: 0.1 });
 *   const h = huber(yHat, y, { delta: 1 });
 */
import { OptionsError } from '@dlpipe/core';
import { tf } from '@dlpipe/engine';
import { ShapeMismatchError } from '../errors.js';

export interface SoftmaxCrossEntropyOptions {
  /** Per-example weights (0 masks an example out, e.g. padding tokens); shape = labels' batch shape. Default: none. */
  mask?: tf.Tensor;
  /** Mix the target with the uniform distribution: (1-ε)·onehot + ε/C. Default 0. */
  labelSmoothing?: number;
}

/**
 * Softmax cross-entropy from logits [..., C] and labels, either integer class ids [...] (int32 or
 * float) or one-hot / probabilities [..., C]. With a mask, the mean is over unmasked entries.
 */
export function softmaxCrossEntropy(
  logits: tf.Tensor,
  labels: tf.Tensor,
  options: SoftmaxCrossEntropyOptions = {},
): tf.Scalar {
  const eps = options.labelSmoothing ?? 0;
  if (eps < 0 || eps >= 1) throw new OptionsError(`labelSmoothing must be in [0, 1), got ${eps}`);
  const numClasses = logits.shape[logits.rank - 1]!;
  const sparse = labels.rank === logits.rank - 1;
  if (!sparse && labels.shape.join() !== logits.shape.join()) {
    throw new ShapeMismatchError(
      `labels must be class ids of shape [${logits.shape.slice(0, -1)}] or one-hot of shape ` +
        `[${logits.shape}], got [${labels.shape}]`,
    );
  }
  return tf.tidy(() => {
    let target = sparse ? tf.oneHot(tf.cast(labels, 'int32'), numClasses) : tf.cast(labels, 'float32');
    if (eps > 0) target = tf.add(tf.mul(target, 1 - eps), eps / numClasses);
    const perExample = tf.neg(tf.sum(tf.mul(target, tf.logSoftmax(logits)), -1));
    return maskedMean(perExample, options.mask);
  });
}

/** Mean of `values`, or weighted mean with `mask` (Σ m·v / Σ m; 0 when the mask is all zeros). */
export function maskedMean(values: tf.Tensor, mask?: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    if (!mask) return tf.mean(values) as tf.Scalar;
    if (mask.shape.join() !== values.shape.join()) {
      throw new ShapeMismatchError(
        `mask shape [${mask.shape}] must equal the per-example loss shape [${values.shape}]`,
      );
    }
    const m = tf.cast(mask, 'float32');
    return tf.div(tf.sum(tf.mul(values, m)), tf.maximum(tf.sum(m), 1e-12)) as tf.Scalar;
  });
}

export interface BinaryCrossEntropyOptions {
  /** Inputs are logits (stable formula) rather than probabilities. Default true. */
  fromLogits?: boolean;
  /** Per-element weights; 0 masks out. */
  mask?: tf.Tensor;
}

/** Binary cross-entropy of predictions vs 0/1 targets of the same shape. */
export function binaryCrossEntropy(
  yHat: tf.Tensor,
  y: tf.Tensor,
  options: BinaryCrossEntropyOptions = {},
): tf.Scalar {
  assertSameShape('binaryCrossEntropy', yHat, y);
  return tf.tidy(() => {
    const t = tf.cast(y, 'float32');
    let l: tf.Tensor;
    if (options.fromLogits ?? true) {
      // max(z,0) - z·t + log(1 + exp(-|z|))
      l = tf.add(tf.sub(tf.relu(yHat), tf.mul(yHat, t)), tf.log1p(tf.exp(tf.neg(tf.abs(yHat)))));
    } else {
      const p = tf.clipByValue(yHat, 1e-7, 1 - 1e-7);
      l = tf.neg(tf.add(tf.mul(t, tf.log(p)), tf.mul(tf.sub(1, t), tf.log(tf.sub(1, p)))));
    }
    return maskedMean(l, options.mask);
  });
}

/** Mean squared error. */
export function mse(yHat: tf.Tensor, y: tf.Tensor): tf.Scalar {
  assertSameShape('mse', yHat, y);
  return tf.tidy(() => tf.mean(tf.squaredDifference(yHat, y)) as tf.Scalar);
}

/** Mean absolute error (L1 loss). */
export function l1(yHat: tf.Tensor, y: tf.Tensor): tf.Scalar {
  assertSameShape('l1', yHat, y);
  return tf.tidy(() => tf.mean(tf.abs(tf.sub(yHat, y))) as tf.Scalar);
}

export interface HuberOptions {
  /** Where the loss turns from quadratic to linear. Default 1. */
  delta?: number;
}

/** Huber loss: ½r² for |r| ≤ δ, δ(|r| − ½δ) beyond (PyTorch `HuberLoss`). */
export function huber(yHat: tf.Tensor, y: tf.Tensor, options: HuberOptions = {}): tf.Scalar {
  const delta = options.delta ?? 1;
  if (!(delta > 0)) throw new OptionsError(`huber delta must be > 0, got ${delta}`);
  assertSameShape('huber', yHat, y);
  return tf.tidy(() => {
    const a = tf.abs(tf.sub(yHat, y));
    const quad = tf.minimum(a, delta);
    const lin = tf.sub(a, quad);
    return tf.mean(tf.add(tf.mul(0.5, tf.square(quad)), tf.mul(delta, lin))) as tf.Scalar;
  });
}

/** L2 penalty λ/2·Σw² over the given weights (d2l `l2_penalty` times λ). */
export function l2Penalty(weights: tf.Tensor[], lambda: number): tf.Scalar {
  return tf.tidy(() => tf.mul(lambda / 2, tf.addN(weights.map((w) => tf.sum(tf.square(w))))) as tf.Scalar);
}

/** L1 penalty λ·Σ|w| over the given weights. */
export function l1Penalty(weights: tf.Tensor[], lambda: number): tf.Scalar {
  return tf.tidy(() => tf.mul(lambda, tf.addN(weights.map((w) => tf.sum(tf.abs(w))))) as tf.Scalar);
}

function assertSameShape(fn: string, a: tf.Tensor, b: tf.Tensor): void {
  if (a.shape.join() !== b.shape.join()) {
    throw new ShapeMismatchError(
      `${fn}: prediction shape [${a.shape}] and target shape [${b.shape}] must be equal; reshape one ` +
        '(a [batch] target against [batch, 1] predictions is the usual cause)',
    );
  }
}

/** Loss functions by name, for options and CLIs. */
export const LOSSES = {
  softmaxCrossEntropy: (yHat: tf.Tensor, y: tf.Tensor) => softmaxCrossEntropy(yHat, y),
  binaryCrossEntropy: (yHat: tf.Tensor, y: tf.Tensor) => binaryCrossEntropy(yHat, y),
  mse,
  l1,
  huber: (yHat: tf.Tensor, y: tf.Tensor) => huber(yHat, y),
} as const;
export type LossName = keyof typeof LOSSES;
export type LossFn = (yHat: tf.Tensor, y: tf.Tensor) => tf.Scalar;
