/**
 * In-memory data sources: tensors split into (optionally shuffled) mini-batches, as d2l's
 * `load_array`. Shuffling uses a generator seeded from (seed, epoch), so every epoch's order is
 * reproducible and a resumed run can skip the batches it already trained on.
 *
 *   const train = tensorDataSource({ x: X, y }, { batchSize: 256, shuffle: true });
 */
import { InvalidArgumentError, OptionsError, type Rng } from '@dlpipe/core';
import { tf } from '@dlpipe/engine';
import type { DataSource, XYBatch } from './types.js';

export interface TensorDataSourceOptions {
  batchSize: number;
  /** Default false. */
  shuffle?: boolean;
  /** Drop the last incomplete batch. Default false. */
  dropRemainder?: boolean;
}

/** Mini-batches of `{x, y}` along the first axis. The source keeps (does not dispose) x and y. */
export function tensorDataSource(
  data: { x: tf.Tensor; y: tf.Tensor },
  options: TensorDataSourceOptions,
): DataSource<XYBatch> {
  const n = data.x.shape[0]!;
  if (data.y.shape[0] !== n) {
    throw new InvalidArgumentError(
      `tensorDataSource: x has ${n} examples but y has ${data.y.shape[0]}; pass x and y with the same first dimension`,
    );
  }
  if (!(options.batchSize >= 1)) {
    throw new OptionsError(`tensorDataSource: batchSize must be >= 1, received ${options.batchSize}`);
  }
  const bs = Math.floor(options.batchSize);
  const full = Math.floor(n / bs);
  const length = options.dropRemainder || n % bs === 0 ? full : full + 1;
  return {
    length,
    *batches(_epoch: number, rng: Rng) {
      const order = options.shuffle ? rng.permutation(n) : null;
      for (let b = 0; b < length; b++) {
        const start = b * bs;
        const size = Math.min(bs, n - start);
        yield tf.tidy(() => {
          if (!order) return { x: tf.slice(data.x, start, size), y: tf.slice(data.y, start, size) };
          const idx = tf.tensor1d(order.subarray(start, start + size), 'int32');
          return { x: tf.gather(data.x, idx), y: tf.gather(data.y, idx) };
        });
      }
    },
  };
}

/** Disposes every tensor found in a batch object (arrays and plain objects, one level deep or more). */
export function disposeBatch(batch: unknown): void {
  if (batch instanceof tf.Tensor) batch.dispose();
  else if (Array.isArray(batch)) batch.forEach(disposeBatch);
  else if (batch && typeof batch === 'object') Object.values(batch).forEach(disposeBatch);
}
