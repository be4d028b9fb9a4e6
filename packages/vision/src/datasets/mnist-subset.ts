/**
 * A small, class-balanced, seeded subset of an MNIST-format set as NHWC tensors, resized and
 * optionally replicated to RGB: the "small dataset" of a fine-tuning comparison (d2l §14.2 uses
 * 2,000 hot-dog photos; here e.g. 100 Fashion-MNIST images per class). Only the chosen images
 * are converted and resized, so a 96×96 RGB subset never holds the whole set at that size.
 *
 *   const d = loadMnistSubset('fashion-mnist', { perClass: 100, testSize: 1000, size: 96, channels: 3 });
 */

import { Rng } from '@dlpipe/core';
import { type ImageSplit, loadMnistFormat } from '@dlpipe/data';
import { tf } from '@dlpipe/tensor';
import { DatasetError } from '../errors.js';
import { resize } from '../image/ops.js';

export interface MnistSubsetOptions {
  /** Training images per class, drawn at random (seeded). */
  perClass: number;
  /** Test images, drawn at random (seeded) from the test split. Default 1000. */
  testSize?: number;
  /** Square side to resize to (bilinear). Default 28 (as stored). */
  size?: number;
  /** 1 (gray) or 3 (gray replicated to RGB). Default 1. */
  channels?: 1 | 3;
  /** Default 42. */
  seed?: number;
}

export interface MnistSubset {
  name: string;
  classNames: string[];
  train: { x: tf.Tensor4D; y: tf.Tensor1D };
  test: { x: tf.Tensor4D; y: tf.Tensor1D };
}

/** Indices of `perClass` images of each class, in a seeded random order. */
export function balancedIndices(
  labels: Uint8Array,
  numClasses: number,
  perClass: number,
  rng: Rng,
): number[] {
  const taken = new Array<number>(numClasses).fill(0);
  const out: number[] = [];
  for (const i of rng.permutation(labels.length)) {
    const c = labels[i]!;
    if (c < numClasses && taken[c]! < perClass) {
      taken[c]!++;
      out.push(i);
    }
  }
  return out.sort((a, b) => a - b);
}

function gather(
  split: ImageSplit,
  idx: number[],
  size: number,
  channels: 1 | 3,
): { x: tf.Tensor4D; y: tf.Tensor1D } {
  const px = split.rows * split.cols;
  const f = new Float32Array(idx.length * px);
  idx.forEach((i, k) => {
    for (let p = 0; p < px; p++) f[k * px + p] = split.images[i * px + p]! / 255;
  });
  const x = tf.tidy(() => {
    let t: tf.Tensor4D = tf.tensor4d(f, [idx.length, split.rows, split.cols, 1]);
    if (size !== split.rows || size !== split.cols) t = resize(t, [size, size]);
    return channels === 3 ? tf.tile(t, [1, 1, 1, 3]) : t;
  });
  return {
    x,
    y: tf.tensor1d(
      Int32Array.from(idx, (i) => split.labels[i]!),
      'int32',
    ),
  };
}

/** Loads a balanced training subset and a random test subset of 'fashion-mnist', 'mnist' or an idx folder. */
export function loadMnistSubset(nameOrDir: string, o: MnistSubsetOptions): MnistSubset {
  const ds = loadMnistFormat(nameOrDir);
  const k = ds.classNames.length;
  const testSize = o.testSize ?? 1000;
  const counts = new Array<number>(k).fill(0);
  for (const c of ds.train.labels) if (c < k) counts[c]!++;
  const fewest = Math.min(...counts);
  if (!Number.isInteger(o.perClass) || o.perClass < 1 || o.perClass > fewest) {
    throw new DatasetError(
      ds.dir,
      `perClass ${o.perClass} is out of range: expected an integer from 1 to ${fewest} (the smallest class of the training split)`,
    );
  }
  if (!Number.isInteger(testSize) || testSize < 1 || testSize > ds.test.n) {
    throw new DatasetError(ds.dir, `testSize ${testSize} is out of range: expected 1 to ${ds.test.n}`);
  }
  const rng = new Rng(o.seed ?? 42);
  const trainIdx = balancedIndices(ds.train.labels, k, o.perClass, rng);
  const testIdx = Array.from(rng.permutation(ds.test.n).subarray(0, testSize)).sort((a, b) => a - b);
  const size = o.size ?? ds.train.rows;
  const channels = o.channels ?? 1;
  return {
    name: ds.name,
    classNames: ds.classNames,
    train: gather(ds.train, trainIdx, size, channels),
    test: gather(ds.test, testIdx, size, channels),
  };
}
