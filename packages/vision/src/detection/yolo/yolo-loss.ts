/**
 * YOLOv8's detection loss without DFL (Ultralytics `v8DetectionLoss`): targets from the
 * task-aligned assigner on the detached predictions, then
 *
 *   cls = Σ BCE-with-logits(logits, soft targets) / Σ targets          over every anchor and class
 *   box = Σ (1 − CIoU(pred, target)) · w / Σ targets                   over positives, w = Σ_c target
 *   loss = boxGain · box + clsGain · cls                               (Ultralytics' gains 7.5, 0.5)
 *
 * Σ targets is clamped at 1, so a batch without objects only pushes every class score down.
 * Ultralytics then multiplies by the batch size (for its SGD settings); this loss is per batch.
 *
 *   const { loss, box, cls } = yoloLoss({ dist, logits, grid, labels, imageSize: 256 });
 */
import { tf } from '@dlpipe/tensor';
import { type AssignerOptions, taskAlignedAssign } from './assigner.js';
import { completeBoxIouLoss } from './box-loss.js';
import { type AnchorGrid, distToBox } from './dist-boxes.js';

export interface YoloLossGains {
  /** Weight of the CIoU term. Default 7.5. */
  box?: number;
  /** Weight of the classification term. Default 0.5. */
  cls?: number;
}

export interface YoloLossInputs {
  /** [B, A, 4] predicted distances l, t, r, b in stride units (≥ 0). */
  dist: tf.Tensor3D;
  /** [B, A, nc] class logits. */
  logits: tf.Tensor3D;
  grid: AnchorGrid;
  /** [B, M, 5] d2l label rows (class, x1, y1, x2, y2 normalized), padding rows -1. */
  labels: tf.Tensor3D;
  imageSize: number;
  gains?: YoloLossGains;
  assigner?: AssignerOptions;
}

export interface YoloLossParts {
  loss: tf.Scalar;
  box: tf.Scalar;
  cls: tf.Scalar;
  /** Positive anchors in the batch. */
  positives: tf.Scalar;
}

/** A copy of `t` with no link to the gradient tape (the assigner's inputs). */
function detached<T extends tf.Tensor>(t: T): T {
  return tf.tensor(t.dataSync(), t.shape, t.dtype) as T;
}

/** PyTorch's `binary_cross_entropy_with_logits` elementwise: max(x, 0) − x·z + log(1 + e^−|x|). */
export function bceWithLogits(x: tf.Tensor, z: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.add(tf.sub(tf.relu(x), tf.mul(x, z)), tf.softplus(tf.neg(tf.abs(x)))));
}

/** Predicted corner boxes [B, A, 4] in pixels from distances in stride units. */
export function predictedBoxes(dist: tf.Tensor3D, grid: AnchorGrid): tf.Tensor3D {
  return distToBox(grid.points, tf.mul(dist, grid.strides)) as tf.Tensor3D;
}

/** The loss and its parts; see the file header. */
export function yoloLoss(inp: YoloLossInputs): YoloLossParts {
  const { box: boxGain = 7.5, cls: clsGain = 0.5 } = inp.gains ?? {};
  return tf.tidy(() => {
    const pdBoxes = predictedBoxes(inp.dist, inp.grid);
    const [gtCls, gtCorners] = tf.split(inp.labels, [1, 4], 2) as [tf.Tensor3D, tf.Tensor3D];
    const gtLabels = gtCls.squeeze([2]) as tf.Tensor2D;
    const t = taskAlignedAssign(
      {
        scores: tf.sigmoid(detached(inp.logits)) as tf.Tensor3D,
        boxes: detached(pdBoxes),
        points: inp.grid.points,
        gtLabels,
        gtBoxes: tf.mul(gtCorners, inp.imageSize) as tf.Tensor3D,
        gtMask: tf.cast(tf.greaterEqual(gtLabels, 0), 'float32') as tf.Tensor2D,
      },
      inp.assigner,
    );
    const scoreSum = tf.maximum(tf.sum(t.targetScores), 1);
    const bce = tf.sum(bceWithLogits(inp.logits, t.targetScores));
    const cls = tf.div(bce, scoreSum) as tf.Scalar;
    // Anchors that are not positives get a dummy target so CIoU stays finite; their weight is 0.
    const fg = t.fgMask.expandDims(2);
    const dummy = tf.tensor1d([0, 0, 1, 1]);
    const target = tf.add(tf.mul(t.targetBoxes, fg), tf.mul(dummy, tf.sub(1, fg)));
    const pred = tf.add(tf.mul(pdBoxes, fg), tf.mul(dummy, tf.sub(1, fg)));
    const weight = tf.sum(t.targetScores, 2); // [B, A], 0 off the positives
    const ciou = completeBoxIouLoss(pred, target);
    const box = tf.div(tf.sum(tf.mul(ciou, weight)), scoreSum) as tf.Scalar;
    const loss = tf.add(tf.mul(box, boxGain), tf.mul(cls, clsGain)) as tf.Scalar;
    return { loss, box, cls, positives: tf.sum(t.fgMask) as tf.Scalar };
  });
}
