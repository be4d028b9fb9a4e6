/**
 * Anchor offsets of d2l §14.4.3: a box relative to its anchor, in center form, scaled so the
 * offsets have roughly unit spread (d2l's μ = 0, σ_x = σ_y = 0.1, σ_w = σ_h = 0.2):
 *   ((x_b − x_a)/w_a / 0.1, (y_b − y_a)/h_a / 0.1, log(w_b/w_a) / 0.2, log(h_b/h_a) / 0.2).
 * `offsetInverse` undoes `offsetBoxes` (up to d2l's eps = 1e-6 inside the log).
 *
 *   const anchors = tf.tensor2d([[0.1, 0.08, 0.52, 0.92]]);
 *   const off = offsetBoxes(anchors, tf.tensor2d([[0.15, 0.1, 0.5, 0.9]]));
 *   offsetInverse(anchors, off).print(); // ≈ [[0.15, 0.1, 0.5, 0.9]]
 */
import { tf } from '@dlpipe/tensor';
import { boxCenterToCorner, boxCornerToCenter } from './box-convert.js';
import { checkShape, DetectionError } from './errors.js';

function checkPair(anchors: tf.Tensor2D, other: tf.Tensor2D, fn: string, otherName: string): void {
  checkShape(anchors, `${fn} anchors`, 2, 4);
  checkShape(other, `${fn} ${otherName}`, 2, 4);
  if (anchors.shape[0] !== other.shape[0]) {
    throw new DetectionError(
      `${fn}: anchors has ${anchors.shape[0]} rows but ${otherName} has ${other.shape[0]}; pass one ${otherName} row per anchor`,
    );
  }
}

/** d2l's `offset_boxes`: the offsets [A, 4] of corner boxes `assignedBb` from corner `anchors`. */
export function offsetBoxes(anchors: tf.Tensor2D, assignedBb: tf.Tensor2D, eps = 1e-6): tf.Tensor2D {
  checkPair(anchors, assignedBb, 'offsetBoxes', 'assignedBb');
  return tf.tidy(() => {
    const cAnc = boxCornerToCenter(anchors);
    const cBb = boxCornerToCenter(assignedBb);
    const ancXy = cAnc.slice([0, 0], [-1, 2]);
    const ancWh = cAnc.slice([0, 2], [-1, 2]);
    const xy = tf.div(tf.mul(tf.sub(cBb.slice([0, 0], [-1, 2]), ancXy), 10), ancWh);
    const wh = tf.mul(tf.log(tf.add(tf.div(cBb.slice([0, 2], [-1, 2]), ancWh), eps)), 5);
    return tf.concat([xy, wh], 1) as tf.Tensor2D;
  });
}

/** d2l's `offset_inverse`: corner boxes [A, 4] from anchors and predicted offsets [A, 4]. */
export function offsetInverse(anchors: tf.Tensor2D, offsetPreds: tf.Tensor2D): tf.Tensor2D {
  checkPair(anchors, offsetPreds, 'offsetInverse', 'offsetPreds');
  return tf.tidy(() => {
    const anc = boxCornerToCenter(anchors);
    const ancWh = anc.slice([0, 2], [-1, 2]);
    const xy = tf.add(
      tf.div(tf.mul(offsetPreds.slice([0, 0], [-1, 2]), ancWh), 10),
      anc.slice([0, 0], [-1, 2]),
    );
    const wh = tf.mul(tf.exp(tf.div(offsetPreds.slice([0, 2], [-1, 2]), 5)), ancWh);
    return boxCenterToCorner(tf.concat([xy, wh], 1) as tf.Tensor2D);
  });
}
