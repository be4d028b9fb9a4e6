/**
 * Anchor boxes of d2l §14.4.1 (`multibox_prior`): for every pixel of an h × w feature map, the
 * n + m − 1 boxes with size s_1..s_n at ratio r_1 and ratios r_2..r_m at size s_1, centred on
 * the pixel, in corner format and normalized coordinates (x / w, y / h, so boxes may stick out
 * of [0, 1]). Pixel (i, j)'s anchors are rows (i·w + j)·(n + m − 1) … of the result.
 *
 *   const Y = multiboxPrior(561, 728, [0.75, 0.5, 0.25], [1, 2, 0.5]); // [1, 2042040, 4]
 *   const boxes = Y.reshape([561, 728, 5, 4]);
 *   boxes.slice([250, 250, 0, 0], [1, 1, 1, 4]).print(); // ≈ [0.06, 0.07, 0.63, 0.82]
 *
 * As in d2l, widths are scaled by h / w so that a ratio-1 anchor is square in pixels.
 */
import { tf } from '@dlpipe/tensor';
import { DetectionError } from './errors.js';

function checkPositive(values: readonly number[], what: string): void {
  if (values.length === 0 || values.some((v) => !(Number.isFinite(v) && v > 0))) {
    throw new DetectionError(
      `multiboxPrior ${what}: expected a non-empty list of positive numbers, received [${values.join(', ')}]`,
    );
  }
}

/** d2l's `multibox_prior`: anchors [1, h·w·(n+m−1), 4] for an h × w feature map. */
export function multiboxPrior(
  featureMapH: number,
  featureMapW: number,
  sizes: readonly number[],
  ratios: readonly number[],
): tf.Tensor3D {
  for (const [name, v] of [
    ['featureMapH', featureMapH],
    ['featureMapW', featureMapW],
  ] as const) {
    if (!(Number.isInteger(v) && v > 0)) {
      throw new DetectionError(`multiboxPrior ${name}: expected a positive integer, received ${v}`);
    }
  }
  checkPositive(sizes, 'sizes');
  checkPositive(ratios, 'ratios');
  const perPixel = sizes.length + ratios.length - 1;
  return tf.tidy(() => {
    const s = tf.tensor1d([...sizes, ...ratios.slice(1).map(() => sizes[0] as number)]);
    const r = tf.sqrt(tf.tensor1d([...sizes.map(() => ratios[0] as number), ...ratios.slice(1)]));
    const w = tf.div(tf.mul(tf.mul(s, r), featureMapH), featureMapW); // [perPixel]
    const h = tf.div(s, r);
    const half = tf.div(tf.stack([tf.neg(w), tf.neg(h), w, h], 1), 2); // [perPixel, 4]
    const cy = tf.mul(tf.add(tf.range(0, featureMapH), 0.5), 1 / featureMapH).expandDims(1); // [h, 1]
    const cx = tf.mul(tf.add(tf.range(0, featureMapW), 0.5), 1 / featureMapW).expandDims(0); // [1, w]
    // Pixel grid and anchors as matMuls (exact: products with 0 and 1), far faster than broadcasts
    // on the pure-JS backend: [gx, gy, 1] · [[1, 0, 1, 0]…; [0, 1, 0, 1]…; half-sizes] = gx/gy ± half.
    const gx = tf.matMul(tf.ones([featureMapH, 1]), cx).reshape([-1]);
    const gy = tf.matMul(cy, tf.ones([1, featureMapW])).reshape([-1]);
    const xyRows = tf.tensor2d(
      [
        [1, 0, 1, 0],
        [0, 1, 0, 1],
      ].map((row) => Array.from({ length: perPixel }, () => row).flat()),
    );
    const m = tf.concat([xyRows, half.reshape([1, perPixel * 4])], 0); // [3, perPixel·4]
    const design = tf.stack([gx, gy, tf.onesLike(gx)], 1); // [h·w, 3]
    return tf.matMul(design, m).reshape([1, featureMapH * featureMapW * perPixel, 4]) as tf.Tensor3D;
  });
}
