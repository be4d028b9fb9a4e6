/**
 * Test fixtures of this folder (not exported from the package): the numbers that
 * boxes.reference.py computed with PyTorch 1.13 / torchvision 0.14, the feature map it defines,
 * and a tolerance assertion.
 *
 *   const ref = loadReference(); const X = referenceFeatures(); assertClose(y, ref.roiAlign[0].out);
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { tf } from '@dlpipe/tensor';

export interface RoiCase {
  outputSize: [number, number];
  spatialScale: number;
  samplingRatio?: number;
  aligned?: boolean;
  out: number[];
  grad: number[];
}

export interface Reference {
  source: string;
  nms: Record<string, number[]> & { boxes: number[]; scores: number[]; idxs: number[] };
  features: { shape: [number, number, number, number]; rois: number[][] };
  roiAlign: RoiCase[];
  roiPool: RoiCase[];
}

export function loadReference(): Reference {
  return JSON.parse(readFileSync(new URL('./boxes.reference.json', import.meta.url), 'utf8')) as Reference;
}

/** features[b, h, w, c] = ((((b·H + h)·W + w)·C + c)·37 mod N) / N, all distinct (as the script). */
export function referenceFeatures([b, h, w, c]: [number, number, number, number]): tf.Tensor4D {
  const n = b * h * w * c;
  return tf.tensor4d(
    Float32Array.from({ length: n }, (_, i) => ((i * 37) % n) / n),
    [b, h, w, c],
  );
}

/** The script's upstream gradient: g[k, ph, pw, c] = 1 + (5k + 3ph + 2pw + c) mod 4. */
export function referenceUpstream(k: number, oh: number, ow: number, c: number): tf.Tensor4D {
  const v: number[] = [];
  for (let a = 0; a < k; a++)
    for (let p = 0; p < oh; p++)
      for (let q = 0; q < ow; q++) for (let d = 0; d < c; d++) v.push(1 + ((a * 5 + p * 3 + q * 2 + d) % 4));
  return tf.tensor4d(v, [k, oh, ow, c]);
}

/** Asserts every value of `actual` is within `tol` of `expected` (same length). */
export function assertClose(
  actual: tf.Tensor | ArrayLike<number>,
  expected: readonly number[],
  tol = 1e-5,
  what = '',
): void {
  const a = Array.from(actual instanceof tf.Tensor ? actual.dataSync() : actual);
  assert.equal(a.length, expected.length, `${what} length`);
  a.forEach((v, i) => {
    const e = expected[i] as number;
    assert.ok(Math.abs(v - e) <= tol, `${what}[${i}]: got ${v}, expected ${e} (±${tol})`);
  });
}
