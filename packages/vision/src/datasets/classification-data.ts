/**
 * Training and test data for an image classifier from one set of options: an MNIST-format set by
 * name (kept at 28×28 and resized batch by batch), or an ImageFolder / CSV / JSONL manifest
 * decoded on demand, with a held-out test set (`testData`, or a stratified seeded 20% of `data`
 * through @dlpipe/data's `trainTestSplit`) and optional augmentation.
 *
 *   const d = await loadClassificationData({ data: 'photos/', size: [96, 96], channels: 3, augment: true });
 *   await trainClassifier({ model, train: d.train, test: d.test, classNames: d.classNames, … });
 */
import { OptionsError, zodMessage } from '@dlpipe/core';
import { trainTestSplit } from '@dlpipe/data';
import { type DataSource, tensorDataSource, type tf, type XYBatch } from '@dlpipe/tensor';
import { z } from 'zod';
import {
  compose,
  type ImageTransform,
  randomHorizontalFlip,
  randomResizedCrop,
} from '../augment/transforms.js';
import { imageSource, loadImageTensors } from './image-source.js';
import { augmentSource, loadMnistTensors, resizeImages, resizeSource } from './mnist.js';
import { readImageSet } from './read-image-set.js';
import type { ImageSet } from './types.js';

export interface ClassificationDataOptions {
  /** An MNIST-format set ('fashion-mnist', 'mnist' or a folder of idx files), used without `data`. Default 'fashion-mnist'. */
  dataset?: string;
  /** An ImageFolder root or a CSV/JSONL manifest (instead of `dataset`). */
  data?: string | undefined;
  /** A held-out folder/manifest for `data`. Default: `testSize` of `data`, stratified and seeded. */
  testData?: string | undefined;
  /** [height, width] every image is resized to. */
  size: [number, number];
  /** Channels of `data` images (MNIST-format sets are gray). Default 3. */
  channels?: 1 | 3;
  /** Only this many training images (0: all). Default 0. */
  limit?: number;
  /** Default 128. */
  batchSize?: number;
  /** Random resized crops and horizontal flips on the training batches. Default false. */
  augment?: boolean;
  /** Seed of the held-out split and the `limit` subset. Default 42. */
  seed?: number;
  /** Share of `data` held out without `testData`. Default 0.2. */
  testSize?: number;
}

const size = z.number().int().positive();
export const classificationDataOptionsSchema = z.object({
  dataset: z.string().min(1).default('fashion-mnist'),
  data: z.string().min(1).optional(),
  testData: z.string().min(1).optional(),
  size: z.tuple([size, size]),
  channels: z.union([z.literal(1), z.literal(3)]).default(3),
  limit: z.number().int().min(0).default(0),
  batchSize: z.number().int().positive().default(128),
  augment: z.boolean().default(false),
  seed: z.number().int().default(42),
  testSize: z.number().gt(0).lt(1).default(0.2),
});
type Resolved = z.output<typeof classificationDataOptionsSchema>;

export interface ClassificationData {
  /** The set's name (MNIST-format) or path (`data`). */
  name: string;
  classNames: string[];
  train: DataSource<XYBatch>;
  test: { x: tf.Tensor4D; y: tf.Tensor1D };
  /** [height, width, channels] the model takes. */
  inputShape: [number, number, number];
  /** The training images without augmentation (for `data` only). */
  trainSet?: ImageSet;
}

/** The default training augmentation: random resized crop (scale 0.5–1) and horizontal flip. */
export function defaultAugmentation(size: [number, number]): ImageTransform {
  return compose(randomResizedCrop({ size, scale: [0.5, 1] }), randomHorizontalFlip());
}

/** The samples of `set` at `indices`. */
function pick(set: ImageSet, indices: Int32Array): ImageSet {
  return { ...set, samples: Array.from(indices, (i) => set.samples[i]!) };
}

/** [train, test]: a stratified seeded split of one set (each class keeps its share in both). */
export function holdOut(set: ImageSet, testSize: number, seed: number): [ImageSet, ImageSet] {
  const labels = set.samples.map((s) => s.label);
  const { train, test } = trainTestSplit(labels.length, { testSize, stratify: labels, seed });
  return [pick(set, train), pick(set, test)];
}

/** A stratified seeded subset of `limit` samples (all of them when limit is 0 or not smaller). */
export function limitSamples(set: ImageSet, limit: number, seed: number): ImageSet {
  if (limit === 0 || limit >= set.samples.length) return set;
  const labels = set.samples.map((s) => s.label);
  return pick(set, trainTestSplit(labels.length, { testSize: limit, stratify: labels, seed }).test);
}

function mnistData(o: Resolved): ClassificationData {
  // Training images stay at 28×28 and are resized batch by batch; the test set is resized once.
  const m = loadMnistTensors(o.dataset, { limit: o.limit || undefined });
  m.test.x = resizeImages(m.test.x, o.size);
  const stored = tensorDataSource(m.train, { batchSize: o.batchSize, shuffle: true });
  const same = m.train.x.shape[1] === o.size[0] && m.train.x.shape[2] === o.size[1];
  const base = same ? stored : resizeSource(stored, o.size);
  return {
    name: m.name,
    classNames: m.classNames,
    train: o.augment ? augmentSource(base, defaultAugmentation(o.size)) : base,
    test: m.test,
    inputShape: [o.size[0], o.size[1], 1],
  };
}

async function folderData(data: string, o: Resolved): Promise<ClassificationData> {
  const all = readImageSet(data);
  const [allTrain, testSet] = o.testData
    ? [all, readImageSet(o.testData, { classNames: all.classNames })]
    : holdOut(all, o.testSize, o.seed);
  const trainSet = limitSamples(allTrain, o.limit, o.seed);
  const { x, y } = await loadImageTensors(testSet, { size: o.size, channels: o.channels });
  return {
    name: data,
    classNames: all.classNames,
    train: imageSource(trainSet, {
      size: o.size,
      channels: o.channels,
      batchSize: o.batchSize,
      shuffle: true,
      ...(o.augment ? { transform: defaultAugmentation(o.size) } : {}),
    }),
    test: { x, y },
    inputShape: [o.size[0], o.size[1], o.channels],
    trainSet,
  };
}

/** Loads training and test data; see the file header. */
export async function loadClassificationData(
  options: ClassificationDataOptions,
): Promise<ClassificationData> {
  const r = classificationDataOptionsSchema.safeParse(options);
  if (!r.success) throw new OptionsError(zodMessage('classification data options', r.error));
  const o = r.data;
  if (o.testData && !o.data) {
    throw new OptionsError(
      `--test-data ${o.testData} holds out images for --data; with --dataset the set's own test split is used`,
    );
  }
  return o.data ? folderData(o.data, o) : mnistData(o);
}
