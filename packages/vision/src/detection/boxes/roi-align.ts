/**
 * RoI Align (Mask R-CNN; d2l §14.8) with torchvision's `ops.roi_align` semantics on NHWC
 * features: each RoI is cut into outputSize bins, each bin averages samplingRatio² bilinear
 * samples (samplingRatio ≤ 0: ceil(roi size / output size) per axis, per RoI), a sample more than
 * one pixel outside the map counts as 0, and `aligned` shifts boxes by −0.5 pixel so that pixel
 * centres sit at integer + 0.5 (torchvision's recommended `aligned=True`).
 *
 *   const features = tf.randomNormal([1, 32, 32, 256]) as tf.Tensor4D; // NHWC, stride 16
 *   const rois = tf.tensor2d([[0, 64, 48, 320, 240]]);                  // image coordinates
 *   const y = roiAlign(features, rois, { outputSize: [7, 7], spatialScale: 1 / 16, samplingRatio: 2, aligned: true });
 *   y.shape; // [1, 7, 7, 256]
 *
 * Bilinear sampling is separable, so each RoI's output is Wy · F · Wxᵀ with small weight matrices
 * built from the boxes (tensor ops, no per-box loop); the result is differentiable with respect to
 * the features through two matMuls (the boxes get no gradient, as in torchvision).
 */
import { OptionsError, zodMessage } from '@dlpipe/core';
import { tf } from '@dlpipe/tensor';
import { z } from 'zod';
import { outputSizeSchema, readRois, toPair } from './roi-common.js';

export interface RoiAlignOptions {
  /** [height, width] of each pooled RoI (or one number for both). */
  outputSize: number | [number, number];
  /** Multiplies the RoI coordinates into feature-map pixels (1 / stride). Default 1. */
  spatialScale?: number;
  /** Samples per bin and axis; ≤ 0 picks ceil(roi size / output size). Default −1 (torchvision). */
  samplingRatio?: number;
  /** Shift boxes by −0.5 pixel (pixel-exact); false keeps the Fast R-CNN legacy. Default false. */
  aligned?: boolean;
}

export const roiAlignOptionsSchema = z.strictObject({
  outputSize: outputSizeSchema,
  spatialScale: z.number().positive().optional(),
  samplingRatio: z.number().int().optional(),
  aligned: z.boolean().optional(),
});

/**
 * The bilinear weights along one axis: sample coordinates [K, P, G] (with a mask of real samples)
 * on an axis of `size` pixels → [K, P, size], torchvision's `bilinear_interpolate` per axis.
 */
function axisWeights(coord: tf.Tensor3D, real: tf.Tensor3D, size: number): tf.Tensor3D {
  return tf.tidy(() => {
    const inside = tf.logicalAnd(tf.greaterEqual(coord, -1), tf.lessEqual(coord, size));
    const c = tf.relu(coord);
    const low0 = tf.floor(c);
    const atEdge = tf.greaterEqual(low0, size - 1);
    const low = tf.where(atEdge, tf.fill(low0.shape, size - 1), low0);
    const high = tf.where(atEdge, low, tf.add(low0, 1));
    const l = tf.where(atEdge, tf.zerosLike(c), tf.sub(c, low0));
    const w = tf.cast(tf.logicalAnd(inside, real), 'float32');
    const hot = (i: tf.Tensor) => tf.oneHot(tf.cast(i, 'int32'), size).toFloat(); // [K, P, G, size]
    const per = tf.add(
      tf.mul(hot(low), tf.mul(w, tf.sub(1, l)).expandDims(3)),
      tf.mul(hot(high), tf.mul(w, l).expandDims(3)),
    );
    return tf.sum(per, 2) as tf.Tensor3D;
  });
}

/** Sample coordinates [K, P, G] along one axis and the mask of real ones (g < grid of that RoI). */
function axisSamples(
  start: tf.Tensor1D,
  bin: tf.Tensor1D,
  grid: tf.Tensor1D,
  pooled: number,
  maxGrid: number,
) {
  const p = tf.range(0, pooled).reshape([1, pooled, 1]);
  const g = tf.range(0, maxGrid).reshape([1, 1, maxGrid]);
  const [s, b, n] = [start, bin, grid].map((t) => t.reshape([-1, 1, 1]));
  const coord = tf.add(
    tf.add(s as tf.Tensor, tf.mul(p, b as tf.Tensor)),
    tf.div(tf.mul(tf.add(g, 0.5), b as tf.Tensor), n as tf.Tensor),
  );
  return { coord: coord as tf.Tensor3D, real: tf.less(g, n as tf.Tensor) as tf.Tensor3D };
}

/** torchvision's `roi_align` on NHWC features [B, H, W, C] and rois [K, 5] → [K, h, w, C]. */
export function roiAlign(features: tf.Tensor4D, rois: tf.Tensor2D, options: RoiAlignOptions): tf.Tensor4D {
  const r = roiAlignOptionsSchema.safeParse(options);
  if (!r.success) throw new OptionsError(zodMessage('roiAlign options', r.error));
  const [ph, pw] = toPair(r.data.outputSize);
  const { spatialScale = 1, samplingRatio = -1, aligned = false } = r.data;
  const data = readRois(features, rois, 'roiAlign');
  const [batch, height, width, channels] = features.shape;
  const k = rois.shape[0];
  if (k === 0) return tf.zeros([0, ph, pw, channels]);
  return tf.tidy(() => {
    const box = tf.tensor2d(data, [k, 5]); // a copy: no gradient flows into the boxes
    type Five = [tf.Tensor1D, tf.Tensor1D, tf.Tensor1D, tf.Tensor1D, tf.Tensor1D];
    const [bIdx, x1, y1, x2, y2] = tf
      .unstack(box, 1)
      .map((t, i) => (i === 0 ? t : tf.sub(tf.mul(t, spatialScale), aligned ? 0.5 : 0))) as Five;
    const span = (a: tf.Tensor1D, b: tf.Tensor1D): tf.Tensor1D =>
      aligned ? tf.sub(b, a) : tf.maximum(tf.sub(b, a), 1);
    const [roiW, roiH] = [span(x1, x2), span(y1, y2)];
    const [binH, binW] = [tf.div<tf.Tensor1D>(roiH, ph), tf.div<tf.Tensor1D>(roiW, pw)];
    const grid = (roi: tf.Tensor, pooled: number) =>
      (samplingRatio > 0 ? tf.fill([k], samplingRatio) : tf.ceil(tf.div(roi, pooled))) as tf.Tensor1D;
    const [gridH, gridW] = [grid(roiH, ph), grid(roiW, pw)];
    const [maxGh, maxGw] = tf.stack([tf.max(gridH), tf.max(gridW)]).dataSync();
    const ys = axisSamples(y1, binH, gridH, ph, Math.max(1, maxGh as number));
    const xs = axisSamples(x1, binW, gridW, pw, Math.max(1, maxGw as number));
    const count = tf.maximum(tf.mul(gridH, gridW), 1).reshape([-1, 1, 1]);
    const wy = tf.div(axisWeights(ys.coord, ys.real, height), count); // [K, ph, H]
    const wx = axisWeights(xs.coord, xs.real, width); // [K, pw, W]
    // Rows: one matMul over all images, with each RoI's weights placed in its image's block.
    const inImage = tf.oneHot(tf.cast(bIdx, 'int32'), batch).toFloat().reshape([k, 1, batch, 1]);
    const wyAll = tf.mul(wy.expandDims(2), inImage).reshape([k * ph, batch * height]);
    const rowsOut = tf.matMul(wyAll, features.reshape([batch * height, width * channels]));
    const t = rowsOut
      .reshape([k, ph, width, channels])
      .transpose([0, 2, 1, 3])
      .reshape([k, width, ph * channels]);
    const cols = tf.matMul(wx, t as tf.Tensor3D); // [K, pw, ph·C]
    return cols.reshape([k, pw, ph, channels]).transpose([0, 2, 1, 3]) as tf.Tensor4D;
  });
}
