/**
 * YOLOv8's task-aligned assignment (TOOD, Feng et al. 2021; Ultralytics `TaskAlignedAssigner`):
 * for each ground-truth box the anchor points inside it are scored by how well the prediction
 * already does the task, t = s^α · u^β (s the predicted probability of the box's class, u the
 * IoU of the predicted box with it); its `topk` best become positives. An anchor chosen by two
 * boxes keeps the one its prediction overlaps most. Each positive's class target is the soft
 * score t / max t · max u (per box), so the classifier learns to rank by localization quality.
 * As tensor ops over [B, M, A] (M label rows, A anchors); nothing here carries gradients.
 * One difference from Ultralytics: u is the plain IoU (Ultralytics ≥ 8.1 uses CIoU clamped at 0).
 *
 *   const t = taskAlignedAssign({ scores, boxes, points, gtLabels, gtBoxes, gtMask });
 *   t.fgMask;        // [B, A] 1 where an anchor is a positive
 *   t.targetBoxes;   // [B, A, 4] its box (pixels, corners), zeros elsewhere
 *   t.targetScores;  // [B, A, nc] soft one-hot class target
 */
import { tf } from '@dlpipe/tensor';

export interface AssignerOptions {
  /** Positives per ground-truth box. Default 10. */
  topk?: number;
  /** Exponent of the class score. Default 0.5. */
  alpha?: number;
  /** Exponent of the IoU. Default 6. */
  beta?: number;
}

export interface AssignerInputs {
  /** [B, A, nc] predicted class probabilities. */
  scores: tf.Tensor3D;
  /** [B, A, 4] predicted corner boxes (pixels). */
  boxes: tf.Tensor3D;
  /** [A, 2] anchor points (pixels). */
  points: tf.Tensor2D;
  /** [B, M] class ids (any value on padding rows). */
  gtLabels: tf.Tensor2D;
  /** [B, M, 4] ground-truth corner boxes (pixels). */
  gtBoxes: tf.Tensor3D;
  /** [B, M] 1 for a real box, 0 for padding. */
  gtMask: tf.Tensor2D;
}

export interface AssignerTargets {
  fgMask: tf.Tensor2D;
  targetBoxes: tf.Tensor3D;
  targetScores: tf.Tensor3D;
  /** [B, A] index of the assigned label row (0 where none). */
  targetGtIdx: tf.Tensor2D;
}

const EPS = 1e-9;

/** float32 one-hot of int32 `indices` (tf.oneHot refuses depth 1: one class, one label row). */
function oneHot(indices: tf.Tensor, depth: number): tf.Tensor {
  return tf.cast(tf.equal(indices.expandDims(-1), tf.range(0, depth, 1, 'int32')), 'float32');
}

/** [B, M, A]: 1 where anchor point a lies strictly inside box m. */
function pointsInBoxes(points: tf.Tensor2D, gtBoxes: tf.Tensor3D): tf.Tensor3D {
  const [x1, y1, x2, y2] = tf.unstack(gtBoxes.expandDims(2), 3) as tf.Tensor[]; // [B, M, 1]
  const [px, py] = tf.unstack(points, 1) as [tf.Tensor1D, tf.Tensor1D]; // [A]
  const d = tf.stack([tf.sub(px, x1!), tf.sub(py, y1!), tf.sub(x2!, px), tf.sub(y2!, py)], -1);
  return tf.cast(tf.greater(tf.min(d, -1), EPS), 'float32') as tf.Tensor3D;
}

/** [B, M, A] IoU of each label box with each predicted box. */
function pairwiseIou(gt: tf.Tensor3D, pd: tf.Tensor3D): tf.Tensor3D {
  const [gx1, gy1, gx2, gy2] = tf.unstack(gt.expandDims(2), 3) as tf.Tensor[]; // [B, M, 1]
  const [px1, py1, px2, py2] = tf.unstack(pd.expandDims(1), 3) as tf.Tensor[]; // [B, 1, A]
  const iw = tf.relu(tf.sub(tf.minimum(gx2!, px2!), tf.maximum(gx1!, px1!)));
  const ih = tf.relu(tf.sub(tf.minimum(gy2!, py2!), tf.maximum(gy1!, py1!)));
  const inter = tf.mul(iw, ih);
  const ga = tf.mul(tf.sub(gx2!, gx1!), tf.sub(gy2!, gy1!));
  const pa = tf.mul(tf.sub(px2!, px1!), tf.sub(py2!, py1!));
  return tf.div(inter, tf.add(tf.sub(tf.add(ga, pa), inter), EPS)) as tf.Tensor3D;
}

/** [B, M, A] 1 at the `k` largest entries of `metric` along A. */
function topkMask(metric: tf.Tensor3D, k: number): tf.Tensor3D {
  const [b, m, a] = metric.shape;
  const { indices } = tf.topk(metric.reshape([b * m, a]), Math.min(k, a));
  return tf.sum(oneHot(indices, a), 1).reshape([b, m, a]) as tf.Tensor3D;
}

/** Task-aligned targets; see the file header. Returns new tensors (caller disposes). */
export function taskAlignedAssign(inp: AssignerInputs, o: AssignerOptions = {}): AssignerTargets {
  const { topk = 10, alpha = 0.5, beta = 6 } = o;
  return tf.tidy(() => {
    const nc = inp.scores.shape[2];
    const m = inp.gtLabels.shape[1];
    const labels = tf.cast(tf.clipByValue(inp.gtLabels, 0, nc - 1), 'int32');
    const gtOneHot = oneHot(labels, nc) as tf.Tensor3D; // [B, M, nc]
    const valid = tf.mul(pointsInBoxes(inp.points, inp.gtBoxes), inp.gtMask.expandDims(2)); // [B, M, A]
    const cls = tf.matMul(gtOneHot, inp.scores, false, true); // [B, M, A]: s of the box's class
    const overlaps = tf.mul(pairwiseIou(inp.gtBoxes, inp.boxes), valid);
    const align = tf.mul(tf.mul(tf.pow(cls, alpha), tf.pow(overlaps, beta)), valid) as tf.Tensor3D;
    let pos = tf.mul(topkMask(align, topk), valid); // [B, M, A]
    // An anchor claimed by several boxes keeps the box it overlaps most.
    const claims = tf.sum(pos, 1, true); // [B, 1, A]
    const best = oneHot(tf.argMax(overlaps, 1), m).transpose([0, 2, 1]); // [B, M, A]
    pos = tf.where(tf.greater(claims, 1).tile([1, m, 1]), best, pos);
    const fgMask = tf.sum(pos, 1) as tf.Tensor2D; // [B, A] in {0, 1}
    const gtIdx = tf.argMax(pos, 1) as tf.Tensor2D; // [B, A]
    const pick = oneHot(gtIdx, m); // [B, A, M]
    const fg = fgMask.expandDims(2);
    const targetBoxes = tf.mul(tf.matMul(pick, inp.gtBoxes), fg) as tf.Tensor3D;
    const targetOneHot = tf.mul(tf.matMul(pick, gtOneHot), fg); // [B, A, nc]
    const posAlign = tf.mul(align, pos);
    const maxAlign = tf.max(posAlign, 2, true); // [B, M, 1]
    const maxIou = tf.max(tf.mul(overlaps, pos), 2, true);
    const norm = tf.max(tf.div(tf.mul(posAlign, maxIou), tf.add(maxAlign, EPS)), 1); // [B, A]
    const targetScores = tf.mul(targetOneHot, norm.expandDims(2)) as tf.Tensor3D;
    return { fgMask, targetBoxes, targetScores, targetGtIdx: gtIdx };
  });
}
