/**
 * Turns a batch of targets and predictions into flat int32 class ids, for the streaming metrics.
 * Multiclass: yPred [..., classes] (logits or probabilities) → argmax; yTrue is ids [...] or one-hot
 * [..., classes]. Binary: yPred [...] or [..., 1] → 1 where yPred > threshold; yTrue is 0/1.
 *
 *   tf.tidy(() => tensorLabels(tf.tensor1d([2, 0]), tf.tensor2d([[0, 1, 5], [3, 1, 0]]), 0.5));
 *   // { yTrue: [2, 0], yPred: [2, 0], numClasses: 3 }
 */
import { InvalidArgumentError } from '@dlpipe/core';
import { tf } from '@dlpipe/engine';
import { ShapeMismatchError } from '../errors.js';
import { describe } from './validate.js';

/** Flat class ids of a batch; tensors are owned by the surrounding tf.tidy. */
export interface TensorLabels {
  yTrue: tf.Tensor1D;
  yPred: tf.Tensor1D;
  numClasses: number;
}

/** The number of classes that predictions of this shape stand for (2 when binary). */
export function classesOfPrediction(yPred: tf.Tensor): number {
  if (!(yPred instanceof tf.Tensor))
    throw new InvalidArgumentError(`yPred must be a tf.Tensor; received ${describe(yPred)}.`);
  if (yPred.rank === 0)
    throw new InvalidArgumentError('yPred is a scalar; expected predictions [batch] or [batch, classes].');
  const last = yPred.shape[yPred.rank - 1]!;
  return yPred.rank === 1 || last === 1 ? 2 : last;
}

/** Class ids of targets and predictions; call inside tf.tidy. */
export function tensorLabels(yTrue: tf.Tensor, yPred: tf.Tensor, threshold: number): TensorLabels {
  const numClasses = classesOfPrediction(yPred);
  if (!(yTrue instanceof tf.Tensor))
    throw new InvalidArgumentError(`yTrue must be a tf.Tensor; received ${describe(yTrue)}.`);
  const binary = yPred.rank === 1 || yPred.shape[yPred.rank - 1] === 1;
  const rows = binary ? yPred.size : yPred.size / numClasses;
  const oneHot = !binary && sameShape(yTrue.shape, yPred.shape);
  if (!oneHot && yTrue.size !== rows) {
    const expected = binary ? `${rows} 0/1 labels` : `${rows} class ids or one-hot [${yPred.shape}]`;
    throw new ShapeMismatchError(
      `yTrue has shape [${yTrue.shape}] for yPred [${yPred.shape}]; expected ${expected}.`,
    );
  }
  const predIds = binary ? tf.greater(yPred, threshold) : tf.argMax(yPred, -1);
  const trueIds = oneHot ? tf.argMax(yTrue, -1) : yTrue;
  return {
    yTrue: tf.cast(tf.reshape(trueIds, [-1]), 'int32') as tf.Tensor1D,
    yPred: tf.cast(tf.reshape(predIds, [-1]), 'int32') as tf.Tensor1D,
    numClasses,
  };
}

const sameShape = (a: readonly number[], b: readonly number[]) =>
  a.length === b.length && a.every((d, i) => d === b[i]);
