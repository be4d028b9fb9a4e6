/**
 * An MNIST-format split as tensors for training: pixels scaled to [0, 1], int32 labels.
 *
 *   const { x, y } = toTensors(loadMnistFormat('fashion-mnist').train, { limit: 1000 });
 */
import { tf } from '@dlpipe/tensor';
import type { ImageSplit } from '../mnist.js';

export interface ToTensorsOptions {
  /** Only the first N examples. */
  limit?: number;
  /** 'image' → [n, rows, cols, 1] (NHWC); 'flat' → [n, rows·cols]. Default 'image'. */
  layout?: 'image' | 'flat';
}

/** Pixels scaled to [0, 1] (float32) and int32 labels. */
export function toTensors(
  split: ImageSplit,
  options: ToTensorsOptions = {},
): { x: tf.Tensor; y: tf.Tensor1D } {
  const n = Math.min(split.n, options.limit ?? split.n);
  const px = split.rows * split.cols;
  const f = new Float32Array(n * px);
  for (let i = 0; i < n * px; i++) f[i] = split.images[i]! / 255;
  const shape = options.layout === 'flat' ? [n, px] : [n, split.rows, split.cols, 1];
  return {
    x: tf.tensor(f, shape, 'float32'),
    y: tf.tensor1d(Int32Array.from(split.labels.subarray(0, n)), 'int32'),
  };
}
