/**
 * Prediction with a trained run: each image of an image, a folder or a manifest (read by
 * `readImageSet`, resized to the model's input) gets its top-k classes with softmax scores.
 *
 *   const rows = await predict({ runDir: 'runs/lenet', input: 'photos/', topK: 3 });
 *   rows[0]; // { path: 'photos/a.png', top: [{ index: 3, className: 'dress', score: 0.91 }, …] }
 */
import { OptionsError, zodMessage } from '@dlpipe/core';
import { tf } from '@dlpipe/tensor';
import { z } from 'zod';
import { loadImageTensors } from '../datasets/image-source.js';
import { readImageSet } from '../datasets/read-image-set.js';
import { predictLogits } from './report.js';
import { loadTrainedRun, modelInput } from './trained-run.js';

export interface PredictOptions {
  /** A trained run: <runDir>/model/ and <runDir>/metrics.json (class names). */
  runDir: string;
  /** An image, a folder (class sub-folders or loose images) or a .csv/.jsonl manifest. */
  input: string;
  /** Classes kept per image. Default 5 (at most the number of classes). */
  topK?: number;
}

export const predictOptionsSchema = z.object({
  runDir: z.string().min(1),
  input: z.string().min(1),
  topK: z.number().int().positive().default(5),
});

export interface ClassScore {
  index: number;
  /** The class name, or the index as text when the run recorded none. */
  className: string;
  score: number;
}

export interface ImagePrediction {
  path: string;
  /** Best first. */
  top: ClassScore[];
}

/** Softmax over each row of logits [n, classes], then its k best classes, best first. */
export function topKClasses(
  logits: tf.Tensor2D,
  k: number,
  classNames: readonly string[] = [],
): ClassScore[][] {
  const [values, indices] = tf.tidy(() => {
    const r = tf.topk(tf.softmax(logits), Math.min(k, logits.shape[1]));
    return [r.values, r.indices];
  });
  const v = values.arraySync() as number[][];
  const idx = indices.arraySync() as number[][];
  tf.dispose([values, indices]);
  return idx.map((row, i) =>
    row.map((index, j) => ({ index, className: classNames[index] ?? String(index), score: v[i]![j]! })),
  );
}

/** The top-k classes of every image of `input`; see the file header. */
export async function predict(options: PredictOptions): Promise<ImagePrediction[]> {
  const r = predictOptionsSchema.safeParse(options);
  if (!r.success) throw new OptionsError(zodMessage('predict options', r.error));
  const o = r.data;
  const set = readImageSet(o.input, { unlabeled: true });
  const { net, classNames } = await loadTrainedRun(o.runDir);
  try {
    // one image that cannot be decoded is the error itself, not a skipped file of a set
    const onError = set.samples.length === 1 ? ('fail' as const) : ('skip' as const);
    const { x, samples } = await loadImageTensors(set, { ...modelInput(net), onError });
    const logits = predictLogits(net, x);
    const top = topKClasses(logits, o.topK, classNames);
    tf.dispose([x, logits]);
    return samples.map((s, i) => ({ path: s.path, top: top[i]! }));
  } finally {
    net.dispose();
  }
}
