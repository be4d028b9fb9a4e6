/**
 * A synthetic linear-regression set of airfoil's size (1,500 rows, 5 standardized features,
 * standardized target): y = X·w + ε with the noise chosen so the best linear fit leaves about half
 * the variance. It is not airfoil (not available offline); tests use it to check convergence to the
 * least-squares optimum, which `optimum` gives in closed form.
 */
import { Rng } from '@dlpipe/core';
import { tf } from '@dlpipe/engine';

export function linearRegressionSet(
  n = 1500,
  d = 5,
  seed = 1,
): { x: tf.Tensor2D; y: tf.Tensor2D; optimum: number } {
  const rng = new Rng(seed);
  const w = Array.from({ length: d }, () => rng.normal());
  const X = new Float32Array(n * d);
  const Y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) {
      const v = rng.normal();
      X[i * d + j] = v;
      s += v * w[j]!;
    }
    Y[i] = s + rng.normal() * Math.sqrt(w.reduce((a, b) => a + b * b, 0)) * 0.95;
  }
  standardize(X, n, d);
  standardize(Y, n, 1);
  const x = tf.tensor2d(X, [n, d]);
  const y = tf.tensor2d(Y, [n, 1]);
  return { x, y, optimum: leastSquaresLoss(x, y) };
}

function standardize(a: Float32Array, n: number, d: number): void {
  for (let j = 0; j < d; j++) {
    let m = 0;
    for (let i = 0; i < n; i++) m += a[i * d + j]!;
    m /= n;
    let v = 0;
    for (let i = 0; i < n; i++) v += (a[i * d + j]! - m) ** 2;
    const s = Math.sqrt(v / n);
    for (let i = 0; i < n; i++) a[i * d + j] = (a[i * d + j]! - m) / s;
  }
}

/** ½·mean((Xŵ+b−y)²) at the least-squares solution (normal equations). */
function leastSquaresLoss(x: tf.Tensor2D, y: tf.Tensor2D): number {
  return tf.tidy(() => {
    const n = x.shape[0];
    const xa = tf.concat([x, tf.ones([n, 1])], 1);
    const xtx = tf.matMul(xa, xa, true, false);
    const xty = tf.matMul(xa, y, true, false);
    const w = solve(
      xtx.arraySync() as number[][],
      (xty.arraySync() as number[][]).map((r) => r[0]!),
    );
    const pred = tf.matMul(xa, tf.tensor2d(w, [w.length, 1]));
    return tf.mean(tf.square(tf.sub(pred, y))).dataSync()[0]! / 2;
  });
}

/** Gaussian elimination with partial pivoting. */
function solve(A: number[][], b: number[]): number[] {
  const n = b.length;
  const M = A.map((row, i) => [...row, b[i]!]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r]![c]!) > Math.abs(M[p]![c]!)) p = r;
    [M[c], M[p]] = [M[p]!, M[c]!];
    for (let r = c + 1; r < n; r++) {
      const f = M[r]![c]! / M[c]![c]!;
      for (let k = c; k <= n; k++) M[r]![k]! -= f * M[c]![k]!;
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = M[r]![n]!;
    for (let k = r + 1; k < n; k++) s -= M[r]![k]! * x[k]!;
    x[r] = s / M[r]![r]!;
  }
  return x;
}
