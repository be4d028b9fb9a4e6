/**
 * `pnpm vision predict <image|folder|manifest> --name RUN`: the top-k classes with softmax scores
 * for each image, from a trained run's model.
 *
 *   pnpm vision predict photos/ --name lenet --top-k 3
 */
import { existsSync, statSync } from 'node:fs';
import { tf } from '@dlpipe/tensor';
import {
  checkInput,
  DatasetError,
  type ImageSet,
  imageFolder,
  loadImageTensors,
  readManifest,
} from '@dlpipe/vision';
import { z } from 'zod';
import { DATA_OPTIONS, dataFields, RUN_OPTIONS, runFields, visionCommand } from '../args.js';
import { inputOf, loadRun } from '../run-model.js';

const USAGE = `usage: pnpm vision predict <image|folder|manifest> --name RUN [--runs runs] [--top-k 5]

Prints "path: class score, …" for each image (a folder: every image in it or in its class
subfolders; a .csv/.jsonl manifest: its paths). Images are resized to the model's input; the
data options of \`train\` (--data, --resize, --channels, …) are accepted and ignored, so one set of
flags serves train, eval and predict.`;

function predictionSet(path: string): ImageSet {
  if (!existsSync(path)) throw new DatasetError(path, 'no such image, folder or manifest');
  if (!statSync(path).isDirectory()) {
    if (/\.(jsonl|csv)$/i.test(path)) return readManifest(path, { missingLabel: 'none' });
    return { source: path, classNames: [], samples: [{ path, label: -1 }] };
  }
  try {
    return imageFolder(path);
  } catch {
    return { source: path, classNames: [], samples: [] };
  }
}

const schema = z.object({
  _: z.tuple([z.string()], {
    error: 'expected one image, folder or manifest: pnpm vision predict <path> --name RUN',
  }),
  ...dataFields,
  ...runFields,
  'top-k': z.coerce.number().int().positive().default(5),
});

export const predict = visionCommand({
  summary: 'top-k classes with scores for an image, a folder or a manifest',
  usage: USAGE,
  options: { ...DATA_OPTIONS, ...RUN_OPTIONS, 'top-k': { type: 'string' } },
  schema,
  async run(o) {
    const { net, classNames } = await loadRun(o);
    const { x, samples } = await loadImageTensors(predictionSet(o._[0]), inputOf(net));
    checkInput(net, x.shape);
    const probs = tf.tidy(() => tf.softmax(net.predict(x) as tf.Tensor)) as tf.Tensor2D;
    const { values, indices } = tf.topk(probs, Math.min(o['top-k'], probs.shape[1]));
    const v = values.arraySync() as number[][];
    const idx = indices.arraySync() as number[][];
    tf.dispose([x, probs, values, indices]);
    return samples.map((s, i) => {
      const top = idx[i]!.map((k, j) => `${classNames[k] ?? k} ${v[i]![j]!.toFixed(3)}`).join(', ');
      return `${s.path}: ${top}`;
    });
  },
});
