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
 * d2l's greedy pass over one image's IoU matrix [A, G] (row-major; padding columns hold −1): take
 * the largest entry, give that anchor that box, discard its row and column; once per real box.
 */
function greedyAssign(
  iou: Float32Array,
  numAnchors: number,
  numGt: number,
  numReal: number,
  map: Int32Array,
): void {
  const jac = Float32Array.from(iou, (v) => (Number.isNaN(v) ? -1 : v));
  for (let step = 0; step < Math.min(numReal, numAnchors); step++) {
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
 * Assignment for a batch: anchors [A, 4], boxes [B, G, 4] and `real` [B, G] (false for padding)
 * → int32 [B, A] box indices (−1 for none). The IoU and d2l's first pass (best box at IoU ≥
 * threshold) are tensor ops over the whole batch; the greedy pass runs per image on typed arrays.
 */
function assignBatch(
  anchors: tf.Tensor2D,
  boxes: tf.Tensor3D,
  real: tf.Tensor2D,
  iouThreshold: number,
): tf.Tensor2D {
  const [batch, numGt] = [boxes.shape[0], boxes.shape[1]];
  const numAnchors = anchors.shape[0];
  if (numGt === 0 || numAnchors === 0) return tf.fill([batch, numAnchors], -1, 'int32');
  const [jaccard, first, counts] = tf.tidy(() => {
    const iou = boxIouUnchecked(anchors, boxes.reshape([-1, 4]) as tf.Tensor2D).reshape([
      numAnchors,
      batch,
      numGt,
    ]);
    const j = tf.where(real.expandDims(0), iou, tf.fill(iou.shape, -1)).transpose([1, 0, 2]); // [B, A, G]
    const f = tf.where(
      tf.greaterEqual(tf.max(j, 2), iouThreshold),
      tf.argMax(j, 2).toInt(),
      tf.fill([batch, numAnchors], -1, 'int32'),
    );
    return [j, f, tf.sum(tf.cast(real, 'int32'), 1)];
  });
  const map = first.dataSync() as Int32Array;
  const iou = jaccard.dataSync() as Float32Array;
  const real1 = counts.dataSync();
  for (let b = 0; b < batch; b++) {
    const size = numAnchors * numGt;
    const slice = iou.subarray(b * size, (b + 1) * size);
    greedyAssign(
      slice,
      numAnchors,
      numGt,
      real1[b] as number,
      map.subarray(b * numAnchors, (b + 1) * numAnchors),
    );
  }
  tf.dispose([jaccard, first, counts]);
  return tf.tensor2d(map, [batch, numAnchors], 'int32');
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
  return tf.tidy(() => {
    const real = tf.ones([1, groundTruth.shape[0]], 'bool') as tf.Tensor2D;
    return assignBatch(anchors, groundTruth.expandDims(0) as tf.Tensor3D, real, iouThreshold).reshape([-1]);
  });
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
  const iouThreshold = parseThreshold(options);
  checkShape(labels, 'multiboxTarget labels', 3, 5);
  if (anchors.rank === 3) checkShape(anchors, 'multiboxTarget anchors', 3, 4);
  const [batch, numGt] = [labels.shape[0], labels.shape[1]];
  return tf.tidy(() => {
    const anc = anchors.reshape([-1, 4]) as tf.Tensor2D;
    checkCornerBoxes(anc, 'multiboxTarget anchors');
    const numAnchors = anc.shape[0];
    const cls = labels.slice([0, 0, 0], [-1, -1, 1]).reshape([batch, numGt]) as tf.Tensor2D;
    const real = tf.greaterEqual(cls, 0) as tf.Tensor2D; // padding rows (class < 0) are skipped
    const boxes = labels.slice([0, 0, 1], [-1, -1, 4]) as tf.Tensor3D;
    const realBoxes = tf.where(real.expandDims(2), boxes, tf.zerosLike(boxes));
    checkCornerBoxes(
      realBoxes.reshape([-1, 4]) as tf.Tensor2D,
      'multiboxTarget labels (rows of all images in turn)',
    );
    const map = assignBatch(anc, boxes, real, iouThreshold); // [B, A]
    const has = tf.greaterEqual(map, 0);
    const mask = tf.tile(tf.cast(has, 'float32').expandDims(2), [1, 1, 4]); // [B, A, 4]
    const offsetInImage = tf.mul(tf.range(0, batch, 1, 'int32'), tf.scalar(numGt, 'int32')).expandDims(1);
    const flatIdx = tf.add(tf.maximum(map, tf.scalar(0, 'int32')), offsetInImage).reshape([-1]);
    const assigned =
      numGt === 0 ? tf.zeros([batch * numAnchors, 5]) : tf.gather(labels.reshape([-1, 5]), flatIdx);
    const classLabels = tf.where(
      has,
      tf.add(assigned.slice([0, 0], [-1, 1]).reshape([batch, numAnchors]).toInt(), tf.scalar(1, 'int32')),
      tf.zeros([batch, numAnchors], 'int32'),
    ) as tf.Tensor2D;
    const tiled = tf.tile(anc, [batch, 1]) as tf.Tensor2D;
    const offsets =
      numGt === 0
        ? tf.zeros([batch * numAnchors, 4])
        : offsetBoxes(tiled, assigned.slice([0, 1], [-1, 4]) as tf.Tensor2D);
    const bboxMask = mask.reshape([batch, numAnchors * 4]) as tf.Tensor2D;
    const bboxOffset = tf.mul(offsets.reshape([batch, numAnchors * 4]), bboxMask) as tf.Tensor2D;
    return { bboxOffset, bboxMask, classLabels };
  });
}
