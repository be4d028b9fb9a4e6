/**
 * Turns the CLI's data options into training and test data: an MNIST-format set by name, or an
 * ImageFolder / CSV / JSONL manifest (split 80/20 by seed unless --test-data is given).
 *
 *   const d = await loadData(dataOptions(o), { size: [28, 28], channels: 1 });
 */
import { statSync } from 'node:fs';
import { type DataSource, Rng, tensorDataSource, type tf, type XYBatch } from '@dlpipe/tensor';
import {
  augmentSource,
  compose,
  type ImageSet,
  type ImageTransform,
  imageFolder,
  imageSource,
  loadImageTensors,
  loadMnistTensors,
  randomHorizontalFlip,
  randomResizedCrop,
  readManifest,
  resizeImages,
  resizeSource,
} from '@dlpipe/vision';
import type { DataOptions } from './args.js';

export interface CliData {
  name: string;
  classNames: string[];
  train: DataSource<XYBatch>;
  test: { x: tf.Tensor4D; y: tf.Tensor1D };
  inputShape: [number, number, number];
  /** Decoded training images without augmentation (for preview), when cheap to get. */
  trainSet?: ImageSet;
}

export function readImageSet(path: string, classNames?: string[]): ImageSet {
  return statSync(path).isDirectory()
    ? imageFolder(path, { classNames })
    : readManifest(path, { classNames });
}

/** The CLI's augmentation: random resized crop (scale 0.5–1) and horizontal flip. */
export function cliAugmentation(size: [number, number]): ImageTransform {
  return compose(randomResizedCrop({ size, scale: [0.5, 1] }), randomHorizontalFlip());
}

function split(set: ImageSet, seed: number): [ImageSet, ImageSet] {
  const order = new Rng(seed).permutation(set.samples.length);
  const nTest = Math.max(1, Math.round(set.samples.length * 0.2));
  const pick = (idx: Int32Array) => ({ ...set, samples: Array.from(idx, (i) => set.samples[i]!) });
  return [pick(order.subarray(nTest)), pick(order.subarray(0, nTest))];
}

export async function loadData(
  o: DataOptions,
  defaults: { size: [number, number]; channels: 1 | 3 },
): Promise<CliData> {
  const size: [number, number] = o.resize ? [o.resize, o.resize] : defaults.size;
  if (!o.data) {
    // Training images stay at 28×28 and are resized batch by batch; the test set is resized once.
    const m = loadMnistTensors(o.dataset, { limit: o.limit || undefined });
    m.test.x = resizeImages(m.test.x, size);
    const stored = tensorDataSource(m.train, { batchSize: o.batch, shuffle: true });
    const same = m.train.x.shape[1] === size[0] && m.train.x.shape[2] === size[1];
    const base = same ? stored : resizeSource(stored, size);
    return {
      name: m.name,
      classNames: m.classNames,
      train: o.augment ? augmentSource(base, cliAugmentation(size)) : base,
      test: m.test,
      inputShape: [size[0], size[1], 1],
    };
  }
  const channels = (o.channels ?? defaults.channels) as 1 | 3;
  const all = readImageSet(o.data);
  const [trainSet, testSet] = o.testData
    ? [all, readImageSet(o.testData, all.classNames)]
    : split(all, o.seed);
  if (o.limit) trainSet.samples = trainSet.samples.slice(0, o.limit);
  const test = await loadImageTensors(testSet, { size, channels });
  return {
    name: o.data,
    classNames: all.classNames,
    train: imageSource(trainSet, {
      size,
      channels,
      batchSize: o.batch,
      shuffle: true,
      ...(o.augment ? { transform: cliAugmentation(size) } : {}),
    }),
    test: { x: test.x, y: test.y },
    inputShape: [size[0], size[1], channels],
    trainSet,
  };
}
