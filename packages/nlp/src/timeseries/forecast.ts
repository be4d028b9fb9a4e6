/**
 * The three ways d2l §9.1 forecasts with an autoregressive model of τ lags:
 * - one step ahead: every x_t from the observed x_{t−τ} … x_{t−1};
 * - multistep: observed values up to `start`, then each prediction fed back as an input, so the
 *   model runs on its own output from there to the end (d2l starts at n_train + τ);
 * - k steps ahead: from every window of τ observed values, predict k steps in a row feeding
 *   predictions back, and keep the k-th (d2l's k = 1, 4, 16, 64 over windows that fit 64 steps).
 *
 *   const oneStep = oneStepPredictions(net, x);             // predicts x[τ:]
 *   const multi = multistepPredictions(net, x, 604);        // x[:604], then predictions
 *   const kStep = kStepPredictions(net, x, [1, 4, 16, 64]); // [{ k, start, yHat }]
 */
import { tf } from '@dlpipe/tensor';
import { inputWidth } from './autoregressive-mlp.js';
import { TimeSeriesError } from './timeseries-error.js';

/** The model's outputs for rows of τ inputs. */
function predictRows(net: tf.LayersModel, rows: number[][], tau: number): number[] {
  return tf.tidy(() => {
    const out = net.predict(tf.tensor2d(rows, [rows.length, tau])) as tf.Tensor;
    return Array.from(out.dataSync());
  });
}

/** One-step-ahead predictions of x[τ], …, x[T−1], each from the τ observed values before it. */
export function oneStepPredictions(net: tf.LayersModel, x: readonly number[]): number[] {
  const tau = inputWidth(net);
  if (x.length <= tau) {
    throw new TimeSeriesError(
      `oneStepPredictions: a series of ${x.length} values has none to predict with tau = ${tau}.`,
    );
  }
  const rows = Array.from({ length: x.length - tau }, (_, i) => x.slice(i, i + tau));
  return predictRows(net, rows, tau);
}

/** x[0..start) observed, then every later value predicted from the τ before it, predictions fed back. */
export function multistepPredictions(net: tf.LayersModel, x: readonly number[], start: number): number[] {
  const tau = inputWidth(net);
  if (!Number.isInteger(start) || start < tau || start > x.length) {
    throw new TimeSeriesError(
      `multistepPredictions: start must be an integer in [tau = ${tau}, ${x.length}] (where the observed values end), got ${start}.`,
    );
  }
  const out = x.slice(0, start);
  for (let t = start; t < x.length; t++) out.push(predictRows(net, [out.slice(t - tau, t)], tau)[0]!);
  return out;
}

/** The k-step-ahead predictions of one horizon: yHat[i] predicts x[start + i]. */
export interface KStepForecast {
  k: number;
  /** Index in the series of the first prediction: τ + k − 1. */
  start: number;
  yHat: number[];
}

/** Checks horizons: integers ≥ 1 that leave at least one window in a series of T values. */
export function checkSteps(steps: readonly number[], tau: number, T: number): number {
  if (steps.length === 0 || steps.some((k) => !Number.isInteger(k) || k < 1)) {
    throw new TimeSeriesError(`steps must be integers ≥ 1 (e.g. 1,4,16,64), got [${steps.join(', ')}].`);
  }
  const maxSteps = Math.max(...steps);
  if (T - tau - maxSteps + 1 < 1) {
    throw new TimeSeriesError(
      `a series of ${T} values is too short for tau = ${tau} and ${maxSteps} steps ahead: it needs at least ` +
        `${tau + maxSteps} values; pass a longer series or smaller steps.`,
    );
  }
  return maxSteps;
}

/**
 * d2l's k-step-ahead predictions: from each of the T − τ − K + 1 windows of τ observed values
 * (K = the largest k), K predictions in a row, each fed back; returns the k-th for each k asked.
 */
export function kStepPredictions(
  net: tf.LayersModel,
  x: readonly number[],
  steps: readonly number[],
): KStepForecast[] {
  const tau = inputWidth(net);
  const maxSteps = checkSteps(steps, tau, x.length);
  const n = x.length - tau - maxSteps + 1;
  const cols: number[][] = Array.from({ length: tau }, (_, j) => x.slice(j, j + n));
  for (let i = tau; i < tau + maxSteps; i++) {
    const rows = Array.from({ length: n }, (_, r) => cols.slice(i - tau, i).map((c) => c[r]!));
    cols.push(predictRows(net, rows, tau));
  }
  return steps.map((k) => ({ k, start: tau + k - 1, yHat: cols[tau + k - 1]! }));
}

/** Mean squared error of predictions against targets of the same length. */
export function meanSquaredError(yHat: readonly number[], y: readonly number[]): number {
  if (yHat.length !== y.length || y.length === 0) {
    throw new TimeSeriesError(
      `meanSquaredError: needs two non-empty arrays of one length, got ${yHat.length} and ${y.length}.`,
    );
  }
  let s = 0;
  for (let i = 0; i < y.length; i++) s += (yHat[i]! - y[i]!) ** 2;
  return s / y.length;
}
