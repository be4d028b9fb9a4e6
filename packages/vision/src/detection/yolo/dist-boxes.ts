/**
 * The anchor-free grid of YOLOv8 (Ultralytics `make_anchors`, `dist2bbox`, `bbox2dist`): one
 * anchor point at the centre of every cell of every stride's grid, and boxes as the distances
 * (left, top, right, bottom) from that point to the box's sides. Points, distances and boxes are
 * in input pixels here, so a distance predicted in stride units is multiplied by its stride first.
 *
 *   const { points, strides } = anchorPoints(256, [8, 16, 32]);   // [1344, 2], [1344, 1]
 *   const boxes = distToBox(points, ltrb);                         // [..., 1344, 4] corners
 *   const ltrb2 = boxToDist(points, boxes);                        // ltrb again
 */
import { tf } from '@dlpipe/tensor';
import { DetectionError } from '../boxes/errors.js';

/** The grid's anchor points, cells of the stride-8 grid first, row-major within each grid. */
export interface AnchorGrid {
  /** [A, 2] cell centres (x, y) in pixels. */
  points: tf.Tensor2D;
  /** [A, 1] the stride of each point's grid. */
  strides: tf.Tensor2D;
  /** Cells per grid, in `strides` order. */
  counts: number[];
}

/** Anchor points of a square `imageSize` input for each stride (each must divide imageSize). */
export function anchorPoints(imageSize: number, strides: readonly number[]): AnchorGrid {
  const bad = strides.find((s) => !(Number.isInteger(s) && s > 0 && imageSize % s === 0));
  if (bad !== undefined) {
    throw new DetectionError(
      `anchorPoints: stride ${bad} does not divide the image size ${imageSize}; use an image size that is a multiple of ${Math.max(...strides)}`,
    );
  }
  const counts = strides.map((s) => (imageSize / s) ** 2);
  const xy = new Float32Array(counts.reduce((a, b) => a + b, 0) * 2);
  const st = new Float32Array(xy.length / 2);
  let i = 0;
  for (const s of strides) {
    const n = imageSize / s;
    for (let r = 0; r < n; r++) {
      for (let c = 0; c < n; c++, i++) {
        xy[2 * i] = (c + 0.5) * s;
        xy[2 * i + 1] = (r + 0.5) * s;
        st[i] = s;
      }
    }
  }
  return { points: tf.tensor2d(xy, [i, 2]), strides: tf.tensor2d(st, [i, 1]), counts };
}

/** Corner boxes [..., A, 4] from points [A, 2] and distances (l, t, r, b) [..., A, 4]. */
export function distToBox(points: tf.Tensor2D, dist: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const [lt, rb] = tf.split(dist, 2, -1) as [tf.Tensor, tf.Tensor];
    return tf.concat([tf.sub(points, lt), tf.add(points, rb)], -1);
  });
}

/** Distances (l, t, r, b) [..., A, 4] from points [A, 2] to corner boxes [..., A, 4]. */
export function boxToDist(points: tf.Tensor2D, boxes: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const [xy1, xy2] = tf.split(boxes, 2, -1) as [tf.Tensor, tf.Tensor];
    return tf.concat([tf.sub(points, xy1), tf.sub(xy2, points)], -1);
  });
}
