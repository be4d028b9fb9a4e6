/**
 * RoI max pooling (Fast R-CNN, d2l §14.8.2) with torchvision's `ops.roi_pool` semantics on NHWC
 * features: RoI corners are rounded to feature-map pixels (half away from zero, after
 * `spatialScale`), the RoI (at least 1×1 pixel, inclusive of its far edge) is cut into
 * floor/ceil bins, each bin outputs its maximum, and a bin that lies outside the map outputs 0.
 *
 *   const X = tf.range(0, 16).reshape([1, 4, 4, 1]) as tf.Tensor4D;   // d2l's 4×4 example, NHWC
 *   const rois = tf.tensor2d([[0, 0, 0, 20, 20], [0, 0, 10, 30, 30]]);
 *   roiPool(X, rois, { outputSize: [2, 2], spatialScale: 0.1 }).reshape([2, 2, 2]).print();
 *   // [[[5, 6], [9, 10]], [[9, 11], [13, 15]]], as d2l prints
 *
 * Each bin's pixels are gathered at once (a window of at most Mh × Mw pixels per bin, the largest
 * bin's size, padded with −∞) and max-reduced: tensor ops, no per-box loop. The gradient flows to
 * the argmax of each bin (to every tied maximum, where torchvision picks the first).
 */
import { OptionsError, zodMessage } from '@dlpipe/core';
import { tf } from '@dlpipe/tensor';
import { z } from 'zod';
import { outputSizeSchema, readRois, toPair } from './roi-common.js';

export interface RoiPoolOptions {
  /** [height, width] of each pooled RoI (or one number for both). */
  outputSize: number | [number, number];
  /** Multiplies the RoI coordinates into feature-map pixels (1 / stride). Default 1. */
  spatialScale?: number;
}

export const roiPoolOptionsSchema = z.strictObject({
  outputSize: outputSizeSchema,
  spatialScale: z.number().positive().optional(),
});

/** C's `round`: half away from zero. */
const cRound = (x: tf.Tensor) => tf.mul(tf.sign(x), tf.floor(tf.add(tf.abs(x), 0.5)));

/** Bin bounds along one axis: [K, P] start (inclusive) and end (exclusive), clamped to the map. */
function binBounds(start: tf.Tensor1D, end: tf.Tensor1D, pooled: number, size: number) {
  const roi = tf.maximum(tf.add(tf.sub(end, start), 1), 1);
  const bin = tf.div(roi, pooled).reshape([-1, 1]);
  const p = tf.range(0, pooled).reshape([1, pooled]);
  const s0 = start.reshape([-1, 1]);
  const clamp = (t: tf.Tensor) => tf.clipByValue(tf.add(t, s0), 0, size);
  return { lo: clamp(tf.floor(tf.mul(p, bin))), hi: clamp(tf.ceil(tf.mul(tf.add(p, 1), bin))) };
}

/** Indices [K, P, M] of each bin's pixels (clamped into the map) and an additive mask (0 or −∞). */
function binPixels(lo: tf.Tensor, hi: tf.Tensor, size: number) {
  const m = Math.max(1, tf.max(tf.sub(hi, lo)).dataSync()[0] as number);
  const steps = tf.range(0, m).reshape([1, 1, m]);
  const pos = tf.add(lo.expandDims(2), steps);
  const idx = tf.cast(tf.minimum(pos, size - 1), 'int32');
  const penalty = tf.where(
    tf.less(pos, hi.expandDims(2)),
    tf.zeros(pos.shape),
    tf.fill(pos.shape, -Infinity),
  );
  return { idx, penalty, m };
}

/** torchvision's `roi_pool` on NHWC features [B, H, W, C] and rois [K, 5] → [K, h, w, C]. */
export function roiPool(features: tf.Tensor4D, rois: tf.Tensor2D, options: RoiPoolOptions): tf.Tensor4D {
  const r = roiPoolOptionsSchema.safeParse(options);
  if (!r.success) throw new OptionsError(zodMessage('roiPool options', r.error));
  const [ph, pw] = toPair(r.data.outputSize);
  const spatialScale = r.data.spatialScale ?? 1;
  const data = readRois(features, rois, 'roiPool');
  const [batch, height, width, channels] = features.shape;
  const k = rois.shape[0];
  if (k === 0) return tf.zeros([0, ph, pw, channels]);
  return tf.tidy(() => {
    const box = tf.tensor2d(data, [k, 5]);
    const [bIdx, x1, y1, x2, y2] = tf
      .unstack(box, 1)
      .map((t, i) => (i === 0 ? t : cRound(tf.mul(t, spatialScale)))) as tf.Tensor1D[];
    const rowsB = binBounds(y1 as tf.Tensor1D, y2 as tf.Tensor1D, ph, height);
    const colsB = binBounds(x1 as tf.Tensor1D, x2 as tf.Tensor1D, pw, width);
    // Each bin's pixels, [K, ph, Mh, pw, Mw] indices into all images' pixels, max over Mh and Mw.
    const rowsP = binPixels(rowsB.lo, rowsB.hi, height);
    const colsP = binPixels(colsB.lo, colsB.hi, width);
    const image = tf.mul(tf.cast(bIdx as tf.Tensor1D, 'int32'), tf.scalar(height * width, 'int32'));
    const rowPart = tf.add(tf.mul(rowsP.idx, tf.scalar(width, 'int32')), image.reshape([-1, 1, 1]));
    const pixel = tf.add(rowPart.reshape([k, ph, rowsP.m, 1, 1]), colsP.idx.reshape([k, 1, 1, pw, colsP.m]));
    const values = tf.gather(features.reshape([batch * height * width, channels]), pixel); // [K, ph, Mh, pw, Mw, C]
    const penalty = tf.add(
      rowsP.penalty.reshape([k, ph, rowsP.m, 1, 1, 1]),
      colsP.penalty.reshape([k, 1, 1, pw, colsP.m, 1]),
    );
    const pooled = tf.max(tf.add(values, penalty), [2, 4]); // [K, ph, pw, C]
    const emptyRow = tf.lessEqual(rowsB.hi, rowsB.lo).reshape([k, ph, 1, 1]);
    const emptyCol = tf.lessEqual(colsB.hi, colsB.lo).reshape([k, 1, pw, 1]);
    const empty = tf.broadcastTo(tf.logicalOr(emptyRow, emptyCol), [k, ph, pw, channels]);
    return tf.where(empty, tf.zeros([k, ph, pw, channels]), pooled) as tf.Tensor4D;
  });
}
