/**
 * d2l §10.7's `sequence_mask` and `MaskedSoftmaxCELoss`: the softmax cross-entropy of every
 * target token, zeroed past each sequence's valid length, averaged over the time axis (over all
 * T steps, padded ones included, as d2l). One loss per sequence.
 *
 *   maskedSoftmaxCELoss(tf.ones([3, 4, 10]), tf.ones([3, 4]), tf.tensor1d([4, 2, 0]));
 *   // d2l: [2.3026, 1.1513, 0]
 */
import { tf } from '@dlpipe/tensor';
import { ModelUseError } from '../errors.js';

/** X [B, T, …] with entries at steps ≥ validLen[b] set to `value` (d2l's `sequence_mask`). */
export function sequenceMask(X: tf.Tensor, validLen: tf.Tensor1D, value = 0): tf.Tensor {
  if (X.rank < 2 || validLen.rank !== 1 || validLen.shape[0] !== X.shape[0]) {
    throw new ModelUseError(
      `sequenceMask: needs X [batch, steps, …] and lengths [batch], got [${X.shape}] and [${validLen.shape}].`,
    );
  }
  return tf.tidy(() => {
    const [B, T] = X.shape as [number, number];
    const steps = tf.reshape(tf.range(0, T, 1, 'float32'), [1, T]);
    let mask = tf.less(steps, tf.reshape(tf.cast(validLen, 'float32'), [B, 1]));
    for (let i = 2; i < X.rank; i++) mask = tf.expandDims(mask, -1);
    return tf.where(tf.broadcastTo(mask, X.shape), X, tf.fill(X.shape, value, X.dtype));
  });
}

/**
 * Per-sequence loss [B]: mean over t of CE(logits[b, t], labels[b, t]) · [t < validLen[b]], for
 * logits [B, T, V], label ids [B, T] (int32 or float) and validLen [B].
 */
export function maskedSoftmaxCELoss(
  logits: tf.Tensor3D,
  labels: tf.Tensor2D,
  validLen: tf.Tensor1D,
): tf.Tensor1D {
  const [B, T] = logits.shape;
  if (
    labels.rank !== 2 ||
    labels.shape[0] !== B ||
    labels.shape[1] !== T ||
    validLen.shape.join() !== `${B}`
  ) {
    throw new ModelUseError(
      `maskedSoftmaxCELoss: needs logits [batch, steps, vocab], labels [batch, steps] and lengths [batch]; got ` +
        `[${logits.shape}], [${labels.shape}] and [${validLen.shape}].`,
    );
  }
  return tf.tidy(() => {
    const V = logits.shape[2];
    const logProbs = tf.logSoftmax(logits);
    const picked = tf.sum(tf.mul(logProbs, tf.oneHot(tf.cast(labels, 'int32'), V)), -1); // [B, T]
    const weighted = sequenceMask(tf.neg(picked), validLen);
    return tf.mean(weighted, 1) as tf.Tensor1D;
  });
}
