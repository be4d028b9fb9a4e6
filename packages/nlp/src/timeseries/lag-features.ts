/**
 * The autoregressive data set of d2l §9.1: each example holds the τ values before a time step
 * (its features) and the value at that step (its label), for every step from τ on. Example i is
 * (x_i, …, x_{i+τ−1}) → x_{i+τ}, so there are T − τ examples.
 *
 *   const { features, labels } = lagFeatures([1, 2, 3, 4, 5, 6], 4);
 *   // features [[1, 2, 3, 4], [2, 3, 4, 5]], labels [5, 6]
 */
import { TimeSeriesError } from './timeseries-error.js';

export interface LagFeatures {
  /** [T − τ][τ]: row i holds x_i … x_{i+τ−1}. */
  features: number[][];
  /** [T − τ]: label i is x_{i+τ}. */
  labels: number[];
}

/** Checks τ against a series of `T` values (one example at least). */
export function checkTau(tau: number, T: number): void {
  if (!Number.isInteger(tau) || tau < 1) {
    throw new TimeSeriesError(`tau (the number of lags) must be an integer ≥ 1, got ${tau}.`);
  }
  if (T <= tau) {
    throw new TimeSeriesError(
      `a series of ${T} values has no example with tau = ${tau} lags; pass a longer series or a smaller tau.`,
    );
  }
}

/** d2l's `features[:, i] = x[i : T − τ + i]`, `labels = x[τ:]`. */
export function lagFeatures(x: readonly number[], tau: number): LagFeatures {
  checkTau(tau, x.length);
  const n = x.length - tau;
  const features = Array.from({ length: n }, (_, i) => x.slice(i, i + tau));
  return { features, labels: x.slice(tau) };
}
