/**
 * Pairwise intersection over union of two box sets in corner format, torchvision's `box_iou`
 * (d2l §14.4.2's `box_iou`): iou[i, j] = |a_i ∩ b_j| / |a_i ∪ b_j|, one broadcast, no loops.
 *
 *   const a = tf.tensor2d([[0, 0, 2, 2]]);
 *   const b = tf.tensor2d([[1, 1, 2, 2], [0.5, 0, 2.5, 3]]);
 *   boxIou(a, b).print(); // [[0.25, 0.4285714]]
 *
 * Two empty boxes at the same place divide 0 by 0 and give NaN, as in torchvision.
 */
import { tf } from '@dlpipe/tensor';
import { checkCornerBoxes } from './errors.js';

/** Areas of [N, 4] corner boxes → [N]. */
export function boxArea(boxes: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => {
    const [x1, y1, x2, y2] = tf.unstack(boxes, 1) as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
    return tf.mul(tf.sub(x2, x1), tf.sub(y2, y1));
  });
}

/** The IoU matrix [N, M] of corner boxes a [N, 4] and b [M, 4], without input checks. */
export function boxIouUnchecked(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const areaA = boxArea(a).expandDims(1); // [N, 1]
    const areaB = boxArea(b).expandDims(0); // [1, M]
    const a3 = a.expandDims(1); // [N, 1, 4]
    const b3 = b.expandDims(0); // [1, M, 4]
    const lt = tf.maximum(a3.slice([0, 0, 0], [-1, -1, 2]), b3.slice([0, 0, 0], [-1, -1, 2]));
    const rb = tf.minimum(a3.slice([0, 0, 2], [-1, -1, 2]), b3.slice([0, 0, 2], [-1, -1, 2]));
    const wh = tf.relu(tf.sub(rb, lt)); // [N, M, 2]
    const inter = tf.prod(wh, 2);
    return tf.div(inter, tf.sub(tf.add(areaA, areaB), inter)) as tf.Tensor2D;
  });
}

/** torchvision's `box_iou`: a [N, 4] and b [M, 4] corner boxes → IoU [N, M]; rejects NaN and negative sizes. */
export function boxIou(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  checkCornerBoxes(a, 'boxIou a');
  checkCornerBoxes(b, 'boxIou b');
  return boxIouUnchecked(a, b);
}
