import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { OptionsError, Rng } from '@dlpipe/core';
import { fit, type TrainTask, tf, type XYBatch } from '@dlpipe/tensor';
import { writeCsv } from '../io/csv-write.js';
import { Table } from '../table/table.js';
import { fileDataSource, tableDataSource } from '../tensors/table-source.js';
import { batchItems, prefetch, shuffleBuffer } from './iterators.js';

const tmp = mkdtempSync(join(tmpdir(), 'dlpipe-iter-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('iterators', () => {
  const items = Array.from({ length: 50 }, (_, i) => i);
  it('refuses a buffer or batch size below 1', async () => {
    await assert.rejects(collect(shuffleBuffer(items, 0, new Rng(1))), /shuffle buffer size must be >= 1/);
    await assert.rejects(collect(batchItems(items, 0)), OptionsError);
  });
  it('a shuffle buffer yields a seeded permutation', async () => {
    const a = await collect(shuffleBuffer(items, 8, new Rng(1)));
    assert.deepEqual(
      [...a].sort((x, y) => x - y),
      items,
    );
    assert.notDeepEqual(a, items);
    assert.deepEqual(await collect(shuffleBuffer(items, 8, new Rng(1))), a);
  });
  it('batches with and without the remainder', async () => {
    assert.deepEqual(
      (await collect(batchItems(items, 20))).map((b) => b.length),
      [20, 20, 10],
    );
    assert.deepEqual(
      (await collect(batchItems(items, 20, true))).map((b) => b.length),
      [20, 20],
    );
  });
  it('prefetch keeps order, reads ahead, and passes errors through at their item', async () => {
    let produced = 0;
    async function* slow() {
      for (let i = 0; i < 5; i++) {
        produced++;
        yield i;
      }
      throw new Error('source broke');
    }
    const it = prefetch(slow(), 3);
    const first = await it.next();
    assert.equal(first.value, 0);
    await new Promise((r) => setImmediate(r));
    assert.ok(produced >= 3, `read ahead ${produced}`);
    const rest: number[] = [];
    await assert.rejects(
      (async () => {
        for await (const x of it) rest.push(x);
      })(),
      /source broke/,
    );
    assert.deepEqual(rest, [1, 2, 3, 4]);
  });
});

/** Logistic regression on two features as a TrainTask. */
function logReg(): TrainTask<XYBatch> & { w: tf.Variable; b: tf.Variable } {
  const w = tf.variable(tf.zeros([2, 2]));
  const b = tf.variable(tf.zeros([2]));
  return {
    w,
    b,
    trainableVariables: () => [w, b],
    stateTensors: () => [w, b],
    loss: (batch) =>
      tf.losses.softmaxCrossEntropy(
        tf.oneHot(batch.y as tf.Tensor1D, 2),
        tf.add(tf.matMul(batch.x as tf.Tensor2D, w), b),
      ) as tf.Scalar,
  };
}

describe('table data sources feed fit', () => {
  const n = 200;
  const rng = new Rng(5);
  const x1 = Array.from({ length: n }, () => rng.normal());
  const x2 = Array.from({ length: n }, () => rng.normal());
  const table = Table.fromColumns({ x1, x2, y: x1.map((v, i) => (v + x2[i]! > 0 ? 1 : 0)) });

  it('in memory: shuffled batches of the right shapes; training lowers the loss', async () => {
    const src = tableDataSource(table, { features: ['x1', 'x2'], label: 'y', batchSize: 64, shuffle: true });
    assert.equal(src.length, 4);
    const batches = [...(src.batches(0, new Rng(0)) as Iterable<XYBatch>)];
    assert.deepEqual(
      batches.map((b) => b.y.shape[0]),
      [64, 64, 64, 8],
    );
    assert.equal(batches[0]!.y.dtype, 'int32');
    tf.dispose(batches.flatMap((b) => [b.x as tf.Tensor, b.y]));
    const task = logReg();
    const r = await fit(task, src, {
      epochs: 10,
      optimizer: { name: 'sgd', lr: 0.5 },
      progress: false,
      seed: 0,
    });
    const losses = r.history.filter((h) => h.kind === 'epoch').map((h) => h.loss as number);
    assert.ok(losses.at(-1)! < losses[0]! * 0.7, `loss ${losses[0]} → ${losses.at(-1)}`);
    tf.dispose([task.w, task.b]);
  });

  it('from a file: streamed, shuffled through a buffer, every row once per epoch', async () => {
    const p = join(tmp, 'train.csv.gz');
    await writeCsv(p, table);
    const src = fileDataSource(p, {
      features: ['x1', 'x2'],
      label: 'y',
      batchSize: 50,
      shuffle: true,
      shuffleBuffer: 64,
    });
    let rows = 0;
    let sum = 0;
    for await (const b of src.batches(0, new Rng(3)) as AsyncIterable<XYBatch>) {
      rows += b.y.shape[0]!;
      sum += (b.x as tf.Tensor).sum().arraySync() as number;
      tf.dispose([b.x as tf.Tensor, b.y]);
    }
    assert.equal(rows, n);
    const expected = x1.reduce((a, v, i) => a + v + x2[i]!, 0);
    assert.ok(Math.abs(sum - expected) < 1e-3, `${sum} vs ${expected}`);
    await assert.rejects(
      collect(
        fileDataSource(p, { features: ['x1', 'nope'], label: 'y', batchSize: 8 }).batches(
          0,
          new Rng(0),
        ) as AsyncIterable<XYBatch>,
      ),
      /column 'nope': not found/,
    );
  });
});
