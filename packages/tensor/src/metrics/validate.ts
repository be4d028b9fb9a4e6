/**
 * Input checks and small array helpers shared by the metrics: array-likes of equal length, integer
 * labels, finite scores. Each throws an `InvalidArgumentError` that names the argument, what it got
 * and what it expected.
 *
 *   checkLabelPair('yTrue', yTrue, 'yPred', yPred); // throws InvalidArgumentError on a length mismatch
 */
import { InvalidArgumentError } from '@dlpipe/core';

/** Short description of a value for error messages: `Tensor`, `string`, `undefined`… */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value !== 'object') return typeof value;
  return value.constructor?.name ?? 'object';
}

/** Throws unless `value` is an array or typed array. */
export function checkArrayLike(name: string, value: unknown): asserts value is ArrayLike<number> {
  const ok = Array.isArray(value) || (ArrayBuffer.isView(value) && !(value instanceof DataView));
  if (ok) return;
  const hint = describe(value).includes('Tensor')
    ? ' Call .dataSync() or .arraySync() on the tensor first.'
    : '';
  throw new InvalidArgumentError(
    `${name} must be a number[] or typed array; received ${describe(value)}.${hint}`,
  );
}

/** Throws when `value` is empty. */
export function checkNotEmpty(name: string, value: ArrayLike<number>): void {
  if (value.length === 0) throw new InvalidArgumentError(`${name} is empty; expected at least one sample.`);
}

/** Throws when the two arrays differ in length. */
export function checkSameLength(
  aName: string,
  a: ArrayLike<unknown>,
  bName: string,
  b: ArrayLike<unknown>,
): void {
  if (a.length === b.length) return;
  throw new InvalidArgumentError(
    `${aName} and ${bName} must have the same length; received ${a.length} and ${b.length} samples.`,
  );
}

/** Throws at the first element that is not an integer class label. */
export function checkIntegers(name: string, value: ArrayLike<number>): void {
  for (let i = 0; i < value.length; i++) {
    const v = value[i];
    if (typeof v !== 'number' || !Number.isInteger(v)) {
      throw new InvalidArgumentError(
        `${name}[${i}] is ${String(v)}; expected integer class labels (0, 1, 2, …).`,
      );
    }
  }
}

/** Throws at the first element that is NaN or infinite. */
export function checkFinite(name: string, value: ArrayLike<number>): void {
  for (let i = 0; i < value.length; i++) {
    const v = value[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new InvalidArgumentError(`${name}[${i}] is ${String(v)}; expected a finite number.`);
    }
  }
}

/** Checks a (yTrue, yPred) pair of label arrays: array-likes, non-empty, same length, integers. */
export function checkLabelPair(trueName: string, yTrue: unknown, predName: string, yPred: unknown): void {
  checkArrayLike(trueName, yTrue);
  checkArrayLike(predName, yPred);
  checkSameLength(trueName, yTrue, predName, yPred);
  checkNotEmpty(trueName, yTrue);
  checkIntegers(trueName, yTrue);
  checkIntegers(predName, yPred);
}

/** The sum of the values. */
export function sumOf(values: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < values.length; i++) total += values[i]!;
  return total;
}

/** The distinct values of the arrays, ascending (sklearn `unique_labels`). */
export function sortedUnique(...arrays: ArrayLike<number>[]): number[] {
  const set = new Set<number>();
  for (const a of arrays) for (let i = 0; i < a.length; i++) set.add(a[i]!);
  return [...set].sort((x, y) => x - y);
}
