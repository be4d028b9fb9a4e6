/**
 * Tables and table files as @dlpipe/tensor `DataSource`s for `fit`: feature columns → a float32
 * `x` [batch, features], the label column → int32 (classes) or float32 (regression) `y`.
 * `tableDataSource` shuffles a whole in-memory table per epoch; `fileDataSource` streams a CSV or
 * Feather file chunk by chunk through a seeded shuffle buffer with prefetching (bounded memory).
 *
 *   const train = tableDataSource(table, { features: ['x1', 'x2'], label: 'y', batchSize: 64, shuffle: true });
 *   await fit(task, train, { epochs: 5, optimizer: { name: 'adam', lr: 0.01 } });
 */

import { OptionsError, type Rng } from '@dlpipe/core';
import { type DataSource, tf, type XYBatch } from '@dlpipe/tensor';
import { ColumnError } from '../errors.js';
import type { ReadCsvChunksOptions } from '../io/csv-read.js';
import { readTableChunks } from '../io/table-io.js';
import { batchItems, prefetch, shuffleBuffer } from '../loaders/iterators.js';
import type { Table } from '../table/table.js';

export interface TableSourceOptions {
  features: string[];
  label: string;
  batchSize: number;
  /** Default false. */
  shuffle?: boolean;
  /** Drop the last incomplete batch. Default false. */
  dropRemainder?: boolean;
  /** 'int32' for class indices (default for int labels), 'float32' for regression. */
  labelDType?: 'int32' | 'float32';
}

/** Features and labels as flat arrays, with errors naming file, line and column. */
export function tableArrays(
  table: Table,
  features: string[],
  label: string,
  labelDType?: 'int32' | 'float32',
) {
  const { data: x } = table.toMatrix(features);
  const col = table.column(label);
  const yv = table.numeric(label);
  const dtype = labelDType ?? (col.dtype === 'int' ? 'int32' : 'float32');
  const y = dtype === 'int32' ? new Int32Array(yv.length) : new Float32Array(yv.length);
  for (let i = 0; i < yv.length; i++) {
    if (Number.isNaN(yv[i]!)) throw new ColumnError(label, `${table.where(i)}: the label is missing`);
    y[i] = yv[i]!;
  }
  return { x, y, nFeatures: features.length, dtype };
}

function makeBatch(
  x: Float32Array,
  y: Int32Array | Float32Array,
  rows: ArrayLike<number>,
  d: number,
  dtype: 'int32' | 'float32',
): XYBatch {
  const bx = new Float32Array(rows.length * d);
  const by = dtype === 'int32' ? new Int32Array(rows.length) : new Float32Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    bx.set(x.subarray(r * d, r * d + d), i * d);
    by[i] = y[r]!;
  }
  return { x: tf.tensor2d(bx, [rows.length, d]), y: tf.tensor1d(by, dtype) };
}

/** An in-memory table as mini-batches; each epoch's order depends only on the loop's (seed, epoch). */
export function tableDataSource(table: Table, o: TableSourceOptions): DataSource<XYBatch> {
  const { x, y, nFeatures, dtype } = tableArrays(table, o.features, o.label, o.labelDType);
  const n = table.nRows;
  const bs = Math.floor(o.batchSize);
  if (!(bs >= 1)) throw new OptionsError(`batchSize must be >= 1, got ${o.batchSize}`);
  const length = o.dropRemainder || n % bs === 0 ? Math.floor(n / bs) : Math.ceil(n / bs);
  return {
    length,
    *batches(_epoch: number, rng: Rng) {
      const order = o.shuffle ? rng.permutation(n) : Int32Array.from({ length: n }, (_, i) => i);
      for (let b = 0; b < length; b++)
        yield makeBatch(x, y, order.subarray(b * bs, Math.min(n, (b + 1) * bs)), nFeatures, dtype);
    },
  };
}

export interface FileSourceOptions extends TableSourceOptions {
  /** Rows held for shuffling. Default 10,000. */
  shuffleBuffer?: number;
  /** Batches prepared ahead. Default 2. */
  prefetch?: number;
  /** How the file is read (delimiter, dtypes, chunkRows, …). */
  read?: ReadCsvChunksOptions;
}

/** A CSV/Feather file streamed as mini-batches (a new pass over the file each epoch). */
export function fileDataSource(path: string, o: FileSourceOptions): DataSource<XYBatch> {
  const d = o.features.length;
  async function* rows(): AsyncGenerator<{ x: Float32Array; y: number }> {
    for await (const chunk of readTableChunks(path, { inferRows: 10_000, ...o.read, usecols: undefined })) {
      const { x, y } = tableArrays(chunk, o.features, o.label, 'float32');
      for (let i = 0; i < chunk.nRows; i++) yield { x: x.subarray(i * d, i * d + d), y: y[i]! };
    }
  }
  return {
    batches(_epoch: number, rng: Rng) {
      const items = o.shuffle ? shuffleBuffer(rows(), o.shuffleBuffer ?? 10_000, rng) : rows();
      const dtype = o.labelDType ?? 'int32';
      async function* tensors(): AsyncGenerator<XYBatch> {
        // Prefetch plain arrays, not tensors, so that stopping early leaks nothing.
        for await (const batch of prefetch(
          batchItems(items, o.batchSize, o.dropRemainder),
          o.prefetch ?? 2,
        )) {
          const bx = new Float32Array(batch.length * d);
          batch.forEach((r, i) => {
            bx.set(r.x, i * d);
          });
          yield {
            x: tf.tensor2d(bx, [batch.length, d]),
            y: tf.tensor1d(
              batch.map((r) => r.y),
              dtype,
            ),
          };
        }
      }
      return tensors();
    },
  };
}
