/**
 * The classifier contract self-training wraps (scikit-learn's `fit` / `predict_proba` /
 * `classes_`), and the feature containers it subsets: a dense row-major matrix or a list of texts.
 *
 *   const clf: Classifier<Matrix> = new LogisticRegression();
 *   await clf.fit(X, y);  const P = await clf.predictProba(X);  clf.classes;
 */
import { LabelError } from '../errors.js';

/** A dense row-major matrix. */
export interface Matrix {
  data: Float32Array | Float64Array;
  shape: [number, number];
}

/** What classifiers take as X: a matrix of numbers or a list of documents. */
export type Features = Matrix | readonly string[];

/** Any classifier with scikit-learn's contract. Labels are integers; proba columns follow `classes`. */
export interface Classifier<X = Features> {
  fit(X: X, y: ArrayLike<number>): Promise<unknown> | unknown;
  /** [n, classes.length] probabilities, rows summing to 1. */
  predictProba(X: X): Promise<Matrix> | Matrix;
  /** The sorted labels seen in the last fit. */
  readonly classes: readonly number[];
  /** A fresh, unfitted copy with the same options (scikit-learn's clone). */
  clone?(): Classifier<X>;
  /** Releases tensors or other resources. */
  dispose?(): void;
}

/** The matrix data as float32 (tfjs takes no float64), copying only when needed. */
export function float32(data: Float32Array | Float64Array): Float32Array {
  return data instanceof Float32Array ? data : Float32Array.from(data);
}

export function isMatrix(X: Features): X is Matrix {
  return !Array.isArray(X) && typeof X === 'object' && 'shape' in X;
}

/** Number of rows of X. */
export function nRows(X: Features): number {
  return isMatrix(X) ? X.shape[0] : X.length;
}

/** Rows `idx` of X, in that order. */
export function takeRows<X extends Features>(X: X, idx: ArrayLike<number>): X {
  // X is a generic Features type (a matrix or a list of texts); TypeScript cannot narrow a type
  // parameter by the isMatrix guard, so the rows picked from a list are cast back to X.
  if (!isMatrix(X)) return Array.from(idx, (i) => X[i]!) as unknown as X;
  const d = X.shape[1];
  const data = new (X.data.constructor as Float32ArrayConstructor)(idx.length * d);
  for (let r = 0; r < idx.length; r++) data.set(X.data.subarray(idx[r]! * d, idx[r]! * d + d), r * d);
  return { data, shape: [idx.length, d] } as X;
}

/** Sorted distinct labels. */
export function uniqueLabels(y: ArrayLike<number>): number[] {
  return [...new Set(Array.from(y))].sort((a, b) => a - b);
}

/** Index of each label in `classes`. */
export function labelIndex(y: ArrayLike<number>, classes: readonly number[]): Int32Array {
  const pos = new Map(classes.map((c, i) => [c, i]));
  return Int32Array.from(Array.from(y), (v) => pos.get(v) ?? -1);
}

/** Checks that X and y agree and y holds integers. */
export function checkXy(X: Features, y: ArrayLike<number>, who: string): void {
  const n = nRows(X);
  if (y.length !== n)
    throw new LabelError(`${who}: y has ${y.length} labels but X has ${n} rows; they must match`);
  if (n === 0) throw new LabelError(`${who}: no training rows (at least one labeled row is needed)`);
  for (let i = 0; i < y.length; i++) {
    if (!Number.isInteger(y[i]))
      throw new LabelError(`${who}: label ${y[i]} at row ${i} is not an integer class`);
  }
}

/** Row-wise argmax of a probability matrix, mapped through `classes`. */
export function argmaxClasses(
  P: Matrix,
  classes: readonly number[],
): { label: Int32Array; proba: Float64Array } {
  const [n, k] = P.shape;
  const label = new Int32Array(n);
  const proba = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let j = 1; j < k; j++) if (P.data[i * k + j]! > P.data[i * k + best]!) best = j;
    label[i] = classes[best]!;
    proba[i] = P.data[i * k + best]!;
  }
  return { label, proba };
}

/** Predicted labels. */
export async function predict<X extends Features>(clf: Classifier<X>, X: X): Promise<Int32Array> {
  return argmaxClasses(await clf.predictProba(X), clf.classes).label;
}

/** Share of rows whose predicted label equals y. */
export async function accuracy<X extends Features>(
  clf: Classifier<X>,
  X: X,
  y: ArrayLike<number>,
): Promise<number> {
  const p = await predict(clf, X);
  let hit = 0;
  for (let i = 0; i < p.length; i++) if (p[i] === y[i]) hit++;
  return p.length ? hit / p.length : Number.NaN;
}

/** Probabilities for a fit that saw one class only: 1 for it. */
export function singleClassProba(n: number): Matrix {
  return { data: new Float64Array(n).fill(1), shape: [n, 1] };
}
