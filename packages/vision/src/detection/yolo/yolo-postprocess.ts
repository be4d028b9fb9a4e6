/**
 * From the head's outputs to `Detection`s, as Ultralytics' `non_max_suppression` does it for
 * YOLOv8: class probabilities are sigmoids (no objectness), every (anchor, class) pair above the
 * score threshold is a candidate (multi-label), the best `maxCandidates` go through class-aware
 * NMS (`batchedNms`, torchvision semantics), and the first `maxDetections` survive. Boxes are
 * clipped to the image and divided by its size.
 *
 *   const dets = await yoloPostprocess(boxes, probs, { scoreThreshold: 0.25 }); // Detection[][]
 */
import { OptionsError, zodMessage } from '@dlpipe/core';
import { tf } from '@dlpipe/tensor';
import { z } from 'zod';
import { batchedNms } from '../boxes/nms.js';
import type { Detection, DetectOptions } from '../model/detector.js';

export const detectOptionsSchema = z.strictObject({
  scoreThreshold: z.number().min(0).max(1).default(0.05),
  iouThreshold: z.number().min(0).max(1).default(0.5),
  maxDetections: z.number().int().min(1).default(100),
});

/** Candidates per image that reach NMS, best scores first. */
export const MAX_NMS_CANDIDATES = 3000;

/** The parsed options (`OptionsError` on bad values). */
export function parseDetectOptions(o: DetectOptions = {}): z.output<typeof detectOptionsSchema> {
  const r = detectOptionsSchema.safeParse(o);
  if (!r.success) throw new OptionsError(zodMessage('detect options', r.error));
  return r.data;
}

/** Detections of one image: `boxes` [A, 4] normalized corners, `probs` [A, nc]. */
async function detectOne(
  boxes: tf.Tensor2D,
  probs: tf.Tensor2D,
  o: z.output<typeof detectOptionsSchema>,
): Promise<Detection[]> {
  const nc = probs.shape[1];
  const flat = probs.reshape([-1]) as tf.Tensor1D;
  const top = tf.topk(flat, Math.min(MAX_NMS_CANDIDATES, flat.size));
  const count = tf.tidy(() => tf.sum(tf.cast(tf.greaterEqual(top.values, o.scoreThreshold), 'int32')));
  const n = (await count.data())[0] ?? 0;
  count.dispose();
  if (n === 0) {
    tf.dispose([flat, top.values, top.indices]);
    return [];
  }
  const [scores, idx, cand, classes] = tf.tidy(() => {
    const idx = top.indices.slice(0, n);
    const anchor = tf.floorDiv(idx, nc);
    return [
      top.values.slice(0, n) as tf.Tensor1D,
      idx,
      tf.gather(boxes, anchor) as tf.Tensor2D,
      tf.sub(idx, tf.mul(anchor, nc)) as tf.Tensor1D,
    ];
  });
  const keep = await batchedNms(cand, scores, classes, o.iouThreshold);
  const kept = keep.slice(0, Math.min(o.maxDetections, keep.size));
  const gathered = [tf.gather(cand, kept), tf.gather(scores, kept), tf.gather(classes, kept)];
  const [b, s, c] = await Promise.all(gathered.map((t) => t.data()));
  tf.dispose([flat, top.values, top.indices, scores, idx, cand, classes, keep, kept, ...gathered]);
  return Array.from(s!, (score, i) => ({
    classId: c![i]!,
    score,
    box: [b![4 * i]!, b![4 * i + 1]!, b![4 * i + 2]!, b![4 * i + 3]!],
  }));
}

/** Detections per image from corner boxes [B, A, 4] in pixels and class probabilities [B, A, nc]. */
export async function yoloPostprocess(
  boxes: tf.Tensor3D,
  probs: tf.Tensor3D,
  imageSize: number,
  options: DetectOptions = {},
): Promise<Detection[][]> {
  const o = parseDetectOptions(options);
  const [norm, p] = tf.tidy(() => [
    tf.unstack(tf.clipByValue(tf.div(boxes, imageSize), 0, 1)) as tf.Tensor2D[],
    tf.unstack(probs) as tf.Tensor2D[],
  ]);
  const out: Detection[][] = [];
  try {
    for (const [i, b] of norm.entries()) out.push(await detectOne(b, p[i]!, o));
  } finally {
    tf.dispose([...norm, ...p]);
  }
  return out;
}
