/**
 * TinySSD's loss and training metrics (d2l §14.7.2): `calcLoss` is d2l's `calc_loss`, cross
 * entropy over every anchor's classes plus L1 on the masked box offsets, each averaged over the
 * anchors of an image (one value per image); `clsEval` and `bboxEval` are d2l's counters, and
 * `ClassErrorMetric` / `BboxMaeMetric` stream them through `fit` as d2l's `class err` and
 * `bbox mae` (measured on the training batches, with the predictions of the forward pass).
 *
 *   const perImage = calcLoss(clsPreds, clsLabels, bboxPreds, bboxLabels, bboxMasks); // [B]
 *   const correct = clsEval(clsPreds, clsLabels);          // anchors whose argmax is the label
 *   const absError = bboxEval(bboxPreds, bboxLabels, bboxMasks);
 */
import { type StreamingMetric, tf } from '@dlpipe/tensor';
import { DetectionError } from '../boxes/errors.js';

/**
 * d2l's `calc_loss`: `clsPreds` [B, A, C+1] logits, `clsLabels` [B, A] (0 = background), `bboxPreds`,
 * `bboxLabels`, `bboxMasks` [B, A·4] → [B] = mean over anchors of the cross entropy + mean over
 * the A·4 offsets of |pred − label|·mask.
 */
export function calcLoss(
  clsPreds: tf.Tensor3D,
  clsLabels: tf.Tensor2D,
  bboxPreds: tf.Tensor2D,
  bboxLabels: tf.Tensor2D,
  bboxMasks: tf.Tensor2D,
): tf.Tensor1D {
  return tf.tidy(() => {
    const numClasses = clsPreds.shape[2];
    const logProbs = tf.logSoftmax(clsPreds, -1);
    const onehot = tf.oneHot(tf.cast(clsLabels, 'int32'), numClasses);
    const cls = tf.neg(tf.sum(tf.mul(logProbs, onehot), -1)).mean(1);
    const bbox = tf.abs(tf.sub(tf.mul(bboxPreds, bboxMasks), tf.mul(bboxLabels, bboxMasks))).mean(1);
    return tf.add(cls, bbox) as tf.Tensor1D;
  });
}

/** d2l's `cls_eval`: how many anchors' argmax class equals their label (a number). */
export function clsEval(clsPreds: tf.Tensor3D, clsLabels: tf.Tensor2D): number {
  const n = tf.tidy(() =>
    tf.sum(tf.cast(tf.equal(tf.argMax(clsPreds, -1), tf.cast(clsLabels, 'int32')), 'float32')),
  );
  const v = n.dataSync()[0] ?? 0;
  n.dispose();
  return v;
}

/** d2l's `bbox_eval`: Σ |(label − pred)·mask| over every offset (a number). */
export function bboxEval(bboxPreds: tf.Tensor2D, bboxLabels: tf.Tensor2D, bboxMasks: tf.Tensor2D): number {
  const s = tf.tidy(() => tf.sum(tf.abs(tf.mul(tf.sub(bboxLabels, bboxPreds), bboxMasks))));
  const v = s.dataSync()[0] ?? 0;
  s.dispose();
  return v;
}

/**
 * How TinySSD hands its predictions and targets to streaming metrics in one tensor each:
 * `yHat` [B, A, C+1+4] = class logits then the anchor's 4 predicted offsets; `y` [B, A, 9] =
 * class label, 4 target offsets, 4 mask values.
 */
export function packPredictions(clsPreds: tf.Tensor3D, bboxPreds: tf.Tensor2D): tf.Tensor3D {
  const [b, a] = clsPreds.shape;
  return tf.concat([clsPreds, bboxPreds.reshape([b, a, 4])], 2) as tf.Tensor3D;
}

/** The targets side of `packPredictions`: [B, A, 9] (label, offsets, masks). */
export function packTargets(
  clsLabels: tf.Tensor2D,
  bboxLabels: tf.Tensor2D,
  bboxMasks: tf.Tensor2D,
): tf.Tensor3D {
  const [b, a] = clsLabels.shape;
  return tf.concat(
    [
      tf.cast(clsLabels, 'float32').reshape([b, a, 1]),
      bboxLabels.reshape([b, a, 4]),
      bboxMasks.reshape([b, a, 4]),
    ],
    2,
  ) as tf.Tensor3D;
}

/** Splits packed tensors back into d2l's five; checks they belong together. */
function unpack(y: tf.Tensor, yHat: tf.Tensor) {
  if (y.rank !== 3 || yHat.rank !== 3 || y.shape[2] !== 9 || (yHat.shape[2] ?? 0) < 6) {
    throw new DetectionError(
      `TinySSD metrics: expected packed targets [B, A, 9] and predictions [B, A, C+1+4] ` +
        `(packTargets / packPredictions), received [${y.shape}] and [${yHat.shape}]`,
    );
  }
  const [b, a, k] = yHat.shape as [number, number, number];
  return {
    clsPreds: yHat.slice([0, 0, 0], [b, a, k - 4]) as tf.Tensor3D,
    bboxPreds: yHat.slice([0, 0, k - 4], [b, a, 4]).reshape([b, a * 4]) as tf.Tensor2D,
    clsLabels: y.slice([0, 0, 0], [b, a, 1]).reshape([b, a]) as tf.Tensor2D,
    bboxLabels: y.slice([0, 0, 1], [b, a, 4]).reshape([b, a * 4]) as tf.Tensor2D,
    bboxMasks: y.slice([0, 0, 5], [b, a, 4]).reshape([b, a * 4]) as tf.Tensor2D,
  };
}

/** A streaming ratio (sum of errors / count) with checkpoint state. */
abstract class RatioMetric implements StreamingMetric {
  abstract readonly name: string;
  protected num = 0;
  protected den = 0;
  abstract update(yTrue: tf.Tensor, yPred: tf.Tensor): void;
  result(): number {
    return this.den === 0 ? Number.NaN : this.num / this.den;
  }
  reset(): void {
    this.num = 0;
    this.den = 0;
  }
  getState(): unknown {
    return { num: this.num, den: this.den };
  }
  setState(state: unknown): void {
    const s = state as { num?: unknown; den?: unknown } | null;
    if (typeof s?.num === 'number' && typeof s.den === 'number') {
      this.num = s.num;
      this.den = s.den;
    }
  }
}

/** d2l's `class err`: 1 − correct anchors / anchors, over the epoch's batches. */
export class ClassErrorMetric extends RatioMetric {
  readonly name = 'class_err';
  update(yTrue: tf.Tensor, yPred: tf.Tensor): void {
    const u = tf.tidy(() => unpack(yTrue, yPred));
    this.num += u.clsLabels.size - clsEval(u.clsPreds, u.clsLabels);
    tf.dispose(Object.values(u));
    this.den += yTrue.shape[0]! * yTrue.shape[1]!;
  }
}

/** d2l's `bbox mae`: Σ |masked offset error| / (anchors · 4), over the epoch's batches. */
export class BboxMaeMetric extends RatioMetric {
  readonly name = 'bbox_mae';
  update(yTrue: tf.Tensor, yPred: tf.Tensor): void {
    const u = tf.tidy(() => unpack(yTrue, yPred));
    this.num += bboxEval(u.bboxPreds, u.bboxLabels, u.bboxMasks);
    tf.dispose(Object.values(u));
    this.den += yTrue.shape[0]! * yTrue.shape[1]! * 4;
  }
}
