/**
 * IoU box losses with torchvision's semantics (`ops.generalized_box_iou_loss`,
 * `ops.complete_box_iou_loss`, torchvision 0.14, eps 1e-7): elementwise over paired corner boxes
 * [..., 4], so they take the [B, A, 4] predictions of a detector directly. GIoU (Rezatofighi et
 * al. 2019) adds the empty share of the enclosing box; CIoU (Zheng et al. 2020, what Ultralytics
 * YOLO trains with) adds the centre distance over the enclosing diagonal and an aspect-ratio
 * term whose weight α carries no gradient (torchvision computes it under `no_grad`).
 *
 *   const loss = completeBoxIouLoss(pred, target);          // [N], 1 − CIoU
 *   const l = generalizedBoxIouLoss(pred, target, 'mean');  // scalar
 */
import { tf } from '@dlpipe/tensor';
import { DetectionError } from '../boxes/errors.js';

/** How an elementwise loss is reduced: torchvision's `reduction`. */
export type BoxLossReduction = 'none' | 'mean' | 'sum';

const EPS = 1e-7;

/** The identity whose gradient is zero: torch's `detach`, for terms computed under `no_grad`. */
export const stopGradient = tf.customGrad((...args) => ({
  value: (args[0] as tf.Tensor).clone(),
  gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy),
})) as <T extends tf.Tensor>(x: T) => T;

type Corners = [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];

function corners(t: tf.Tensor): Corners {
  return tf.unstack(t, t.rank - 1) as Corners;
}

function checkPair(a: tf.Tensor, b: tf.Tensor, fn: string): void {
  if (a.rank < 1 || a.shape[a.rank - 1] !== 4 || !tf.util.arraysEqual(a.shape, b.shape)) {
    throw new DetectionError(
      `${fn}: expected two corner-box tensors of one shape [..., 4], received [${a.shape}] and [${b.shape}]`,
    );
  }
}

function reduce(loss: tf.Tensor, reduction: BoxLossReduction): tf.Tensor {
  if (reduction === 'mean') return loss.size === 0 ? tf.scalar(0) : tf.mean(loss);
  return reduction === 'sum' ? tf.sum(loss) : loss;
}

/** IoU of paired boxes (eps in the union, as torchvision's losses) with the enclosing box's corners. */
function pairedIou(a: tf.Tensor, b: tf.Tensor) {
  const [x1, y1, x2, y2] = corners(a);
  const [x1g, y1g, x2g, y2g] = corners(b);
  const iw = tf.relu(tf.sub(tf.minimum(x2, x2g), tf.maximum(x1, x1g)));
  const ih = tf.relu(tf.sub(tf.minimum(y2, y2g), tf.maximum(y1, y1g)));
  const inter = tf.mul(iw, ih);
  const areaA = tf.mul(tf.sub(x2, x1), tf.sub(y2, y1));
  const areaB = tf.mul(tf.sub(x2g, x1g), tf.sub(y2g, y1g));
  const union = tf.sub(tf.add(areaA, areaB), inter);
  const iou = tf.div(inter, tf.add(union, EPS));
  const cw = tf.sub(tf.maximum(x2, x2g), tf.minimum(x1, x1g));
  const ch = tf.sub(tf.maximum(y2, y2g), tf.minimum(y1, y1g));
  return { iou, union, cw, ch, a: [x1, y1, x2, y2] as Corners, b: [x1g, y1g, x2g, y2g] as Corners };
}

/** 1 − GIoU of paired corner boxes [..., 4] (torchvision `generalized_box_iou_loss`). */
export function generalizedBoxIouLoss(
  boxes1: tf.Tensor,
  boxes2: tf.Tensor,
  reduction: BoxLossReduction = 'none',
): tf.Tensor {
  checkPair(boxes1, boxes2, 'generalizedBoxIouLoss');
  return tf.tidy(() => {
    const { iou, union, cw, ch } = pairedIou(boxes1, boxes2);
    const areaC = tf.mul(cw, ch);
    const giou = tf.sub(iou, tf.div(tf.sub(areaC, union), tf.add(areaC, EPS)));
    return reduce(tf.sub(1, giou), reduction);
  });
}

/** 1 − CIoU of paired corner boxes [..., 4] (torchvision `complete_box_iou_loss`); α has no gradient. */
export function completeBoxIouLoss(
  boxes1: tf.Tensor,
  boxes2: tf.Tensor,
  reduction: BoxLossReduction = 'none',
): tf.Tensor {
  checkPair(boxes1, boxes2, 'completeBoxIouLoss');
  return tf.tidy(() => {
    const { iou, cw, ch, a, b } = pairedIou(boxes1, boxes2);
    const [x1, y1, x2, y2] = a;
    const [x1g, y1g, x2g, y2g] = b;
    const diag = tf.add(tf.add(tf.square(cw), tf.square(ch)), EPS);
    const dx = tf.div(tf.sub(tf.add(x1, x2), tf.add(x1g, x2g)), 2);
    const dy = tf.div(tf.sub(tf.add(y1, y2), tf.add(y1g, y2g)), 2);
    const diou = tf.add(tf.sub(1, iou), tf.div(tf.add(tf.square(dx), tf.square(dy)), diag));
    const atanGt = tf.atan(tf.div(tf.sub(x2g, x1g), tf.sub(y2g, y1g)));
    const atanPred = tf.atan(tf.div(tf.sub(x2, x1), tf.sub(y2, y1)));
    const v = tf.mul(4 / Math.PI ** 2, tf.square(tf.sub(atanGt, atanPred)));
    const alpha = stopGradient(tf.div(v, tf.add(tf.add(tf.sub(1, iou), v), EPS)));
    return reduce(tf.add(diou, tf.mul(alpha, v)), reduction);
  });
}
