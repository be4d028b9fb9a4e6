/**
 * The steps every tfjs-backed classifier on a `Matrix` shares (logistic regression, the MLP):
 * check X and y and find the classes, turn them into tensors, and answer `predictProba` before
 * fitting or after a one-class fit.
 *
 *   const classes = fitClasses('MlpClassifier.fit', X, y);
 *   const { x, yi } = xyTensors(X, y, classes);   // float32 [n, d], int32 class indices
 */
import { tf } from '@dlpipe/tensor';
import { LabelError } from '../errors.js';
import { checkXy, float32, labelIndex, type Matrix, singleClassProba, uniqueLabels } from './classifier.js';

/** `fit`'s first step: checks that X and y agree and returns the sorted classes of y. */
export function fitClasses(who: string, X: Matrix, y: ArrayLike<number>): number[] {
  checkXy(X, y, who);
  return uniqueLabels(y);
}

/** X as a float32 tensor and y as int32 indices into `classes`; the caller disposes both. */
export function xyTensors(
  X: Matrix,
  y: ArrayLike<number>,
  classes: readonly number[],
): { x: tf.Tensor2D; yi: tf.Tensor1D } {
  return {
    x: tf.tensor2d(float32(X.data), X.shape, 'float32'),
    yi: tf.tensor1d(labelIndex(y, classes), 'int32'),
  };
}

/**
 * `predictProba`'s first step: throws when `fit` was never called, gives probability 1 for every
 * row when the fit saw one class only, and otherwise undefined (the model must answer).
 */
export function trivialProba(who: string, classes: readonly number[], n: number): Matrix | undefined {
  if (classes.length === 0) throw new LabelError(`${who} is not fitted: call fit(X, y) first`);
  return classes.length === 1 ? singleClassProba(n) : undefined;
}
