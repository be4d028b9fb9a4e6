/**
 * Predicting boxes with anchors (d2l §14.4.4, `multibox_detection`): each anchor's predicted box
 * (`offsetInverse`), its most likely non-background class and that probability, then NMS over
 * all classes together, as d2l does. One row per anchor: (class, confidence, x1, y1, x2, y2) with
 * the kept boxes first by confidence, then the suppressed ones by anchor index with class −1; a
 * kept box whose confidence is below `posThreshold` also gets −1 and confidence 1 − p.
 *
 *   const anchors = tf.tensor3d([[[0.1, 0.08, 0.52, 0.92], [0.08, 0.2, 0.56, 0.95],
 *                                 [0.15, 0.3, 0.62, 0.91], [0.55, 0.2, 0.9, 0.88]]]);
 *   const clsProbs = tf.tensor3d([[[0, 0, 0, 0], [0.9, 0.8, 0.7, 0.1], [0.1, 0.2, 0.3, 0.9]]]);
 *   const out = await multiboxDetection(clsProbs, tf.zeros([1, 16]), anchors, { nmsThreshold: 0.5 });
 *   out.print(); // [[[0, 0.9, 0.1, 0.08, 0.52, 0.92], [1, 0.9, 0.55, 0.2, 0.9, 0.88], [-1, 0.8, …], [-1, 0.7, …]]]
 */
import { OptionsError, zodMessage } from '@dlpipe/core';
import { tf } from '@dlpipe/tensor';
import { z } from 'zod';
import { offsetInverse } from './box-offsets.js';
import { checkShape, DetectionError } from './errors.js';
import { nms } from './nms.js';

export interface MultiboxDetectionOptions {
  /** IoU above which a lower-scored predicted box is suppressed. Default 0.5. */
  nmsThreshold?: number;
  /** Kept boxes with a confidence below this become background (−1). Default 0.009999999 (d2l). */
  posThreshold?: number;
}

export const multiboxDetectionOptionsSchema = z.strictObject({
  nmsThreshold: z.number().min(0).max(1).optional(),
  posThreshold: z.number().min(0).max(1).optional(),
});

function checkInputs(clsProbs: tf.Tensor3D, offsetPreds: tf.Tensor2D, anchors: tf.Tensor): void {
  checkShape(clsProbs, 'multiboxDetection clsProbs [batch, classes + 1, anchors]', 3);
  checkShape(offsetPreds, 'multiboxDetection offsetPreds [batch, anchors·4]', 2);
  if (anchors.rank !== 2 && anchors.rank !== 3)
    checkShape(anchors, 'multiboxDetection anchors [1, anchors, 4]', 3, 4);
  const [b, c, a] = clsProbs.shape;
  const numAnchors = anchors.size / 4;
  if (
    anchors.shape[anchors.rank - 1] !== 4 ||
    numAnchors !== a ||
    offsetPreds.shape[0] !== b ||
    offsetPreds.shape[1] !== a * 4 ||
    c < 2
  ) {
    throw new DetectionError(
      `multiboxDetection: expected clsProbs [B, classes + 1 ≥ 2, A], offsetPreds [B, A·4] and anchors [1, A, 4]; ` +
        `received [${clsProbs.shape.join(', ')}], [${offsetPreds.shape.join(', ')}] and [${anchors.shape.join(', ')}]`,
    );
  }
}

async function detectOne(
  clsProb: tf.Tensor2D,
  offsetPred: tf.Tensor1D,
  anchors: tf.Tensor2D,
  o: Required<MultiboxDetectionOptions>,
): Promise<tf.Tensor2D> {
  const numAnchors = anchors.shape[0];
  const [conf, classId, predictedBb] = tf.tidy(() => {
    const fg = clsProb.slice([1, 0], [-1, -1]);
    return [tf.max(fg, 0), tf.argMax(fg, 0).toFloat(), offsetInverse(anchors, offsetPred.reshape([-1, 4]))];
  }) as [tf.Tensor1D, tf.Tensor1D, tf.Tensor2D];
  const keep = await nms(predictedBb, conf, o.nmsThreshold);
  const kept = await keep.data();
  const isKept = new Uint8Array(numAnchors);
  for (const i of kept) isKept[i] = 1;
  const nonKeep = Int32Array.from({ length: numAnchors }, (_, i) => i).filter((i) => !isKept[i]);
  const out = tf.tidy(() => {
    const order = tf.tensor1d(Int32Array.from([...kept, ...nonKeep]), 'int32');
    const keptFirst = tf.concat([tf.ones([kept.length], 'bool'), tf.zeros([nonKeep.length], 'bool')]);
    const c = tf.gather(conf, order);
    const below = tf.less(c, o.posThreshold);
    const background = tf.logicalOr(tf.logicalNot(keptFirst), below);
    const cls = tf.where(background, tf.fill([numAnchors], -1), tf.gather(classId, order));
    const confOut = tf.where(below, tf.sub(1, c), c);
    return tf.concat(
      [cls.expandDims(1), confOut.expandDims(1), tf.gather(predictedBb, order)],
      1,
    ) as tf.Tensor2D;
  });
  tf.dispose([conf, classId, predictedBb, keep]);
  return out;
}

/**
 * d2l's `multibox_detection`: class probabilities [B, classes + 1, A] (row 0 = background),
 * offsets [B, A·4] and anchors [1, A, 4] → [B, A, 6] rows (class, confidence, x1, y1, x2, y2).
 */
export async function multiboxDetection(
  clsProbs: tf.Tensor3D,
  offsetPreds: tf.Tensor2D,
  anchors: tf.Tensor3D | tf.Tensor2D,
  options: MultiboxDetectionOptions = {},
): Promise<tf.Tensor3D> {
  const r = multiboxDetectionOptionsSchema.safeParse(options);
  if (!r.success) throw new OptionsError(zodMessage('multiboxDetection options', r.error));
  const o = { nmsThreshold: r.data.nmsThreshold ?? 0.5, posThreshold: r.data.posThreshold ?? 0.009999999 };
  checkInputs(clsProbs, offsetPreds, anchors);
  const anc = anchors.reshape([-1, 4]) as tf.Tensor2D;
  const probs = tf.unstack(clsProbs) as tf.Tensor2D[];
  const offs = tf.unstack(offsetPreds) as tf.Tensor1D[];
  const rows: tf.Tensor2D[] = [];
  try {
    for (let i = 0; i < probs.length; i++) {
      rows.push(await detectOne(probs[i] as tf.Tensor2D, offs[i] as tf.Tensor1D, anc, o));
    }
    return tf.stack(rows) as tf.Tensor3D;
  } finally {
    tf.dispose([anc, ...probs, ...offs, ...rows]);
  }
}
