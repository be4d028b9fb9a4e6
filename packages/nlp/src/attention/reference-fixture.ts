/**
 * For the tests: the PyTorch reference numbers of `attention.reference.json` (written by
 * `attention.reference.py`, torch 1.13, d2l's classes copied from the book) and the inputs the
 * script built, `det(shape, salt)` = 0.5 · sin(0.7 · i + salt) over the flat index i.
 *
 *   const ref = attentionReference();
 *   assertClose(Y, ref.dot.output);
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { tf } from '@dlpipe/tensor';

/** One attention case: output, attention weights, d(loss)/d(queries) and d(loss)/d(kernel) per named kernel. */
export type ReferenceCase = { output: number[]; attentionWeights: number[]; gradQueries: number[] } & Record<
  string,
  number[]
>;

export interface AttentionReference {
  torch: string;
  maskedSoftmax: { X: number[]; lens1d: number[]; out1d: number[]; lens2d: number[][]; out2d: number[] };
  additiveD2l: ReferenceCase;
  additive: ReferenceCase;
  dotD2l: ReferenceCase;
  dot: ReferenceCase;
  mha: ReferenceCase;
  mha2d: ReferenceCase;
  mhaShape: number[];
  positional: { entries: [number, number, number][] };
  nadarayaWatson: {
    xTrain: number[];
    yTrain: number[];
    nonParametricYHat: number[];
    w0: number;
    losses: number[];
    ws: number[];
    parametricYHat: number[];
  };
}

export function attentionReference(): AttentionReference {
  return JSON.parse(readFileSync(new URL('./attention.reference.json', import.meta.url), 'utf8'));
}

/** The script's deterministic tensor: 0.5 · sin(0.7 · i + salt), times `scale`. */
export function det(shape: number[], salt: number, scale = 1): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const v = Float32Array.from({ length: n }, (_, i) => Math.fround(0.5 * Math.sin(0.7 * i + salt)) * scale);
  return tf.tensor(v, shape);
}

/** d2l's values: arange(40).reshape(1, 10, 4) repeated twice. */
export function d2lValues(): tf.Tensor3D {
  return tf.tile(tf.reshape(tf.range(0, 40), [1, 10, 4]), [2, 1, 1]) as tf.Tensor3D;
}

/** |got − want| ≤ atol + rtol·|want| elementwise. */
export function assertClose(
  got: tf.Tensor | number[],
  want: readonly number[],
  atol = 1e-5,
  rtol = 1e-4,
): void {
  const g = got instanceof tf.Tensor ? Array.from(got.dataSync()) : got;
  assert.equal(g.length, want.length, `length ${g.length} vs ${want.length}`);
  g.forEach((v, i) => {
    const w = want[i]!;
    assert.ok(Math.abs(v - w) <= atol + rtol * Math.abs(w), `[${i}] got ${v}, want ${w}`);
  });
}

/** sum(Y · det(Y.shape, 9)): the scalar the reference script differentiates. */
export function referenceLoss(Y: tf.Tensor): tf.Scalar {
  return tf.sum(tf.mul(Y, det(Y.shape, 9))) as tf.Scalar;
}
