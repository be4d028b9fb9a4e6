/**
 * d2l §11.3's `masked_softmax`: a softmax over the last axis of X [batch, queries, keys] that
 * ignores the keys past each valid length. As d2l, masked scores are replaced by −1e6 before the
 * softmax (so a valid length of 0 gives uniform weights, as in the book). Valid lengths are 1-D
 * [batch] (one length per example, for every query) or 2-D [batch, queries] (one per query).
 *
 *   maskedSoftmax(tf.randomUniform([2, 2, 4]), tf.tensor1d([2, 3]));             // d2l's example
 *   maskedSoftmax(tf.randomUniform([2, 2, 4]), tf.tensor2d([[1, 3], [2, 4]]));
 */
import { tf } from '@dlpipe/tensor';
import { AttentionError } from './attention-error.js';

/** Valid lengths: a tensor (any numeric dtype) or plain numbers, 1-D [batch] or 2-D [batch, queries]. */
export type ValidLens = tf.Tensor | readonly number[] | readonly (readonly number[])[];

/** The value masked scores get (d2l). */
export const MASK_VALUE = -1e6;

/** Valid lengths as a tensor (call in a tidy: plain numbers become a new tensor). */
export function validLensTensor(validLens: ValidLens): tf.Tensor {
  if (validLens instanceof tf.Tensor) return validLens;
  try {
    return tf.tensor(validLens as number[] | number[][]);
  } catch (e) {
    throw new AttentionError(`valid lengths must be numbers [batch] or [batch][queries] (not ragged): ${e}`);
  }
}

/** Checks valid lengths of shape `shape` against `batch` examples of `queries` queries each. */
export function checkValidLens(what: string, shape: readonly number[], batch: number, queries: number): void {
  const ok =
    (shape.length === 1 && shape[0] === batch) ||
    (shape.length === 2 && shape[0] === batch && shape[1] === queries);
  if (!ok) {
    throw new AttentionError(
      `${what}: valid lengths of shape [${shape}] do not fit ${batch} examples of ${queries} queries; ` +
        `pass 1-D [${batch}] (one length per example) or 2-D [${batch}, ${queries}] (one per query).`,
    );
  }
}

/** Valid lengths as float32 [batch, queries or 1, 1], checked against X [batch, queries, keys] (call in a tidy). */
function lensFor(X: tf.Tensor, validLens: ValidLens): tf.Tensor3D {
  const lens = validLensTensor(validLens);
  const [b, q] = X.shape as [number, number, number];
  checkValidLens('maskedSoftmax', lens.shape, b, q);
  return tf.reshape(tf.cast(lens, 'float32'), [b, lens.rank === 1 ? 1 : q, 1]);
}

/** Softmax over the last axis of X [batch, queries, keys], keys at or past the valid length masked. */
export function maskedSoftmax(X: tf.Tensor, validLens?: ValidLens | null): tf.Tensor3D {
  if (X.rank !== 3) {
    throw new AttentionError(
      `maskedSoftmax: scores must be 3-D [batch, queries, keys], got shape [${X.shape}].`,
    );
  }
  if (validLens === undefined || validLens === null) return tf.softmax(X, -1) as tf.Tensor3D;
  return tf.tidy(() => {
    const lens = lensFor(X, validLens);
    const keys = tf.reshape(tf.range(0, X.shape[2]!, 1, 'float32'), [1, 1, -1]);
    const mask = tf.less(keys, lens);
    return tf.softmax(tf.where(mask, X, tf.fill(X.shape, MASK_VALUE)), -1) as tf.Tensor3D;
  });
}
