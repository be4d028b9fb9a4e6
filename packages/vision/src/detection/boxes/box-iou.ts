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
    type Four = [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
    const [ax1, ay1, ax2, ay2] = tf.split(a, 4, 1) as Four; // each [N, 1]
    const [bx1, by1, bx2, by2] = tf.split(b.transpose(), 4, 0) as Four; // each [1, M]
    const areaA = tf.mul(tf.sub(ax2, ax1), tf.sub(ay2, ay1));
    const areaB = tf.mul(tf.sub(bx2, bx1), tf.sub(by2, by1));
    const interW = tf.relu(tf.sub(tf.minimum(ax2, bx2), tf.maximum(ax1, bx1)));
    const interH = tf.relu(tf.sub(tf.minimum(ay2, by2), tf.maximum(ay1, by1)));
    const inter = tf.mul(interW, interH);
    return tf.div(inter, tf.sub(tf.add(areaA, areaB), inter)) as tf.Tensor2D;
  });
}

/** torchvision's `box_iou`: a [N, 4] and b [M, 4] corner boxes → IoU [N, M]; rejects NaN and negative sizes. */
export function boxIou(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  checkCornerBoxes(a, 'boxIou a');
  checkCornerBoxes(b, 'boxIou b');
  return boxIouUnchecked(a, b);
}
