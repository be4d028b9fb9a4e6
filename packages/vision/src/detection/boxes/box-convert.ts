/**
 * Box formats of d2l §14.3: corner (x1, y1, x2, y2) ↔ center (cx, cy, w, h), on the last dim of
 * any tensor whose last dim is 4 ([4], [N, 4], [B, N, 4]).
 *
 *   const dog = tf.tensor2d([[60, 45, 378, 516]]);
 *   boxCornerToCenter(dog).print(); // [[219, 280.5, 318, 471]]
 *   boxCenterToCorner(boxCornerToCenter(dog)).print(); // the corners again
 */
import { tf } from '@dlpipe/tensor';
import { DetectionError } from './errors.js';

function checkLastDim4(boxes: tf.Tensor, what: string): void {
  if (boxes.rank === 0 || boxes.shape[boxes.rank - 1] !== 4) {
    throw new DetectionError(
      `${what}: expected a last dim of 4 (one box per row), received shape [${boxes.shape.join(', ')}]`,
    );
  }
}

/** Corner (x1, y1, x2, y2) → center (cx, cy, w, h); d2l's `box_corner_to_center`. */
export function boxCornerToCenter<T extends tf.Tensor>(boxes: T): T {
  checkLastDim4(boxes, 'boxCornerToCenter boxes');
  return tf.tidy(() => {
    const [x1, y1, x2, y2] = tf.split(boxes, 4, -1) as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
    return tf.concat(
      [tf.div(tf.add(x1, x2), 2), tf.div(tf.add(y1, y2), 2), tf.sub(x2, x1), tf.sub(y2, y1)],
      -1,
    ) as T;
  });
}

/** Center (cx, cy, w, h) → corner (x1, y1, x2, y2); d2l's `box_center_to_corner`. */
export function boxCenterToCorner<T extends tf.Tensor>(boxes: T): T {
  checkLastDim4(boxes, 'boxCenterToCorner boxes');
  return tf.tidy(() => {
    const [cx, cy, w, h] = tf.split(boxes, 4, -1) as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
    const hw = tf.mul(w, 0.5);
    const hh = tf.mul(h, 0.5);
    return tf.concat([tf.sub(cx, hw), tf.sub(cy, hh), tf.add(cx, hw), tf.add(cy, hh)], -1) as T;
  });
}
