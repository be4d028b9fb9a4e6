/**
 * Labelling anchors for training (d2l §14.4.3): `assignAnchorToBbox` gives each anchor a ground
 * truth box or none, `multiboxTarget` turns that into the class labels (0 = background, class + 1
 * otherwise), the offsets to regress and the mask that keeps background anchors out of the loss.
 *
 *   const groundTruth = tf.tensor3d([[[0, 0.1, 0.08, 0.52, 0.92], [1, 0.55, 0.2, 0.9, 0.88]]]);
 *   const anchors = tf.tensor3d([[[0, 0.1, 0.2, 0.3], [0.15, 0.2, 0.4, 0.4], [0.63, 0.05, 0.88, 0.98],
 *                                 [0.66, 0.45, 0.8, 0.8], [0.57, 0.3, 0.92, 0.9]]]);
 *   const { bboxOffset, bboxMask, classLabels } = multiboxTarget(anchors, groundTruth);
 *   classLabels.print(); // [[0, 1, 2, 0, 2]], as d2l prints
 *
 * Label rows whose class is negative are padding (d2l pads label tensors with −1) and are skipped.
 */
import { OptionsError, zodMessage } from '@dlpipe/core';
import { tf } from '@dlpipe/tensor';
import { z } from 'zod';
import { boxIouUnchecked } from './box-iou.js';
import { offsetBoxes } from './box-offsets.js';
import { checkCornerBoxes, checkShape } from './errors.js';

export interface MultiboxTargetOptions {
  /** An anchor whose best IoU with a ground-truth box is at least this gets that box. Default 0.5. */
  iouThreshold?: number;
}

export const multiboxTargetOptionsSchema = z.strictObject({
  iouThreshold: z.number().min(0).max(1).optional(),
});

/** What `multiboxTarget` returns, one row per image (d2l's `(bbox_offset, bbox_mask, class_labels)`). */
export interface MultiboxTargets {
  /** [B, A·4] offsets of each anchor's box (0 for background anchors). */
  bboxOffset: tf.Tensor2D;
  /** [B, A·4] 1 where the anchor has a box, else 0. */
  bboxMask: tf.Tensor2D;
  /** [B, A] int32: 0 background, class + 1 otherwise. */
  classLabels: tf.Tensor2D;
}

function parseThreshold(options: MultiboxTargetOptions): number {
  const r = multiboxTargetOptionsSchema.safeParse(options);
  if (!r.success) throw new OptionsError(zodMessage('multiboxTarget options', r.error));
  return r.data.iouThreshold ?? 0.5;
}

/**
 * d2l's greedy pass over an IoU matrix [A, G] (row-major): take the largest entry, give that
 * anchor that box, discard its row and column; G times.
 */
function greedyAssign(iou: Float32Array, numAnchors: number, numGt: number, map: Int32Array): void {
  const jac = Float32Array.from(iou, (v) => (Number.isNaN(v) ? -1 : v));
  for (let step = 0; step < Math.min(numGt, numAnchors); step++) {
    let best = 0;
    for (let k = 1; k < jac.length; k++) if ((jac[k] as number) > (jac[best] as number)) best = k;
    const anc = Math.floor(best / numGt);
    const box = best % numGt;
    map[anc] = box;
    for (let i = 0; i < numAnchors; i++) jac[i * numGt + box] = -1;
    jac.fill(-1, anc * numGt, (anc + 1) * numGt);
  }
}

/**
 * d2l's `assign_anchor_to_bbox`: for corner `groundTruth` [G, 4] and `anchors` [A, 4], the index
 * of the box each anchor is assigned (−1 for none) as int32 [A].
 */
export function assignAnchorToBbox(
  groundTruth: tf.Tensor2D,
  anchors: tf.Tensor2D,
  options: MultiboxTargetOptions = {},
): tf.Tensor1D {
  const iouThreshold = parseThreshold(options);
  checkCornerBoxes(groundTruth, 'assignAnchorToBbox groundTruth');
  checkCornerBoxes(anchors, 'assignAnchorToBbox anchors');
  const [numAnchors, numGt] = [anchors.shape[0], groundTruth.shape[0]];
  if (numGt === 0 || numAnchors === 0) return tf.fill([numAnchors], -1, 'int32');
  const jaccard = boxIouUnchecked(anchors, groundTruth);
  const first = tf.tidy(() => {
    const best = tf.argMax(jaccard, 1).toInt();
    return tf.where(
      tf.greaterEqual(tf.max(jaccard, 1), iouThreshold),
      best,
      tf.fill([numAnchors], -1, 'int32'),
    );
  });
  const map = first.dataSync() as Int32Array;
  greedyAssign(jaccard.dataSync() as Float32Array, numAnchors, numGt, map);
  tf.dispose([jaccard, first]);
  return tf.tensor1d(map, 'int32');
}

/** One image: labels [G, 5] (class, x1, y1, x2, y2) → offsets [A·4], mask [A·4], classes [A]. */
function targetOne(anchors: tf.Tensor2D, label: tf.Tensor2D, options: MultiboxTargetOptions): tf.Tensor[] {
  const rows = label.dataSync();
  const keep = Array.from({ length: label.shape[0] }, (_, i) => i).filter(
    (i) => (rows[i * 5] as number) >= 0,
  );
  const gt = tf.gather(label, keep); // padding rows (class < 0) dropped
  const boxes = gt.slice([0, 1], [-1, 4]) as tf.Tensor2D;
  const map = assignAnchorToBbox(boxes, anchors, options);
  const out = tf.tidy(() => {
    const numAnchors = anchors.shape[0];
    const has = tf.greaterEqual(map, 0);
    const safe = tf.maximum(map, tf.scalar(0, 'int32'));
    const mask = tf.tile(tf.cast(has, 'float32').expandDims(1), [1, 4]);
    if (keep.length === 0) {
      return [tf.zeros([numAnchors * 4]), mask.reshape([-1]), tf.zeros([numAnchors], 'int32')];
    }
    const cls = tf.add(
      tf.gather(gt.slice([0, 0], [-1, 1]).reshape([-1]), safe).toInt(),
      tf.scalar(1, 'int32'),
    );
    const classes = tf.where(has, cls, tf.zeros([numAnchors], 'int32'));
    const offset = tf.mul(offsetBoxes(anchors, tf.gather(boxes, safe)), mask);
    return [offset.reshape([-1]), mask.reshape([-1]), classes];
  });
  tf.dispose([gt, boxes, map]);
  return out;
}

/**
 * d2l's `multibox_target`: anchors [1, A, 4] (or [A, 4]) and labels [B, G, 5] with rows
 * (class, x1, y1, x2, y2) → the training targets of every anchor in every image.
 */
export function multiboxTarget(
  anchors: tf.Tensor3D | tf.Tensor2D,
  labels: tf.Tensor3D,
  options: MultiboxTargetOptions = {},
): MultiboxTargets {
  parseThreshold(options);
  checkShape(labels, 'multiboxTarget labels', 3, 5);
  if (anchors.rank === 3) checkShape(anchors, 'multiboxTarget anchors', 3, 4);
  return tf.tidy(() => {
    const anc = anchors.reshape([-1, 4]) as tf.Tensor2D;
    const perImage = tf.unstack(labels).map((label) => targetOne(anc, label as tf.Tensor2D, options));
    const [bboxOffset, bboxMask, classLabels] = [0, 1, 2].map(
      (j) => tf.stack(perImage.map((o) => o[j] as tf.Tensor)) as tf.Tensor2D,
    ) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
    return { bboxOffset, bboxMask, classLabels };
  });
}
