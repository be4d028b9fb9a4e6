/**
 * What `roiAlign` and `roiPool` share: the output-size option and the RoI checks (shape, batch
 * index, NaN, negative sizes) on rois [K, 5] rows (batchIndex, x1, y1, x2, y2).
 *
 *   const data = readRois(features, rois, 'roiAlign'); // Float32Array of K·5 values, checked
 */
import type { tf } from '@dlpipe/tensor';
import { z } from 'zod';
import { checkShape, DetectionError } from './errors.js';

/** `[height, width]` of each pooled RoI, or one number for a square. */
export const outputSizeSchema = z.union([
  z.number().int().positive(),
  z.tuple([z.number().int().positive(), z.number().int().positive()]),
]);

export const toPair = (s: number | readonly [number, number]): [number, number] =>
  typeof s === 'number' ? [s, s] : [s[0], s[1]];

/** Checks features [B, H, W, C] and rois [K, 5]; returns the rois' values. */
export function readRois(features: tf.Tensor4D, rois: tf.Tensor2D, fn: string): Float32Array {
  checkShape(features, `${fn} features (NHWC [batch, height, width, channels])`, 4);
  checkShape(rois, `${fn} rois (rows batchIndex, x1, y1, x2, y2)`, 2, 5);
  const data = rois.dataSync() as Float32Array;
  const batch = features.shape[0];
  for (let k = 0; k < rois.shape[0]; k++) {
    const [b, x1, y1, x2, y2] = Array.from({ length: 5 }, (_, j) => data[k * 5 + j] as number) as [
      number,
      number,
      number,
      number,
      number,
    ];
    if ([b, x1, y1, x2, y2].some(Number.isNaN)) throw new DetectionError(`${fn} rois: row ${k} holds NaN`);
    if (!(Number.isInteger(b) && b >= 0 && b < batch)) {
      throw new DetectionError(
        `${fn} rois: row ${k} has batch index ${b}, but features hold ${batch} image(s); expected an integer in [0, ${batch - 1}]`,
      );
    }
    if (x2 < x1 || y2 < y1) {
      throw new DetectionError(
        `${fn} rois: row ${k} is box [${x1}, ${y1}, ${x2}, ${y2}] with a negative width or height; expected x2 >= x1 and y2 >= y1`,
      );
    }
  }
  return data;
}
