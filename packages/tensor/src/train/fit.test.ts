import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setSeed } from '@dlpipe/core';
import { tf } from '@dlpipe/engine';
import { CheckpointError, NonFiniteLossError } from '../errors.js';
import { tensorDataSource } from './data-source.js';
import { EarlyStopping } from './early-stopping.js';
import { fit } from './fit.js';
import { readHistory } from './history.js';
import { layersTask } from './layers-task.js';
import type { TrainTask, XYBatch } from './types.js';

const tmp = mkdtempSync(join(tmpdir(), 'dlpipe-fit-'));
before(async () => {
  await tf.setBackend('cpu');
});
after(() => rmSync(tmp, { recursive: true, force: true }));

/** A tiny classification set: 3 Gaussian blobs in 4-D. */
function blobs(n = 96, seed = 1) {
  setSeed(seed);
  const y = tf.tensor1d(
    Array.from({ length: n }, (_, i) => i % 3),
    'int32',
  );
  const centers = tf.tensor2d([
    [2, 0, 0, 0],
    [0, 2, 0, 0],
    [0, 0, 2, 0],
  ]);
  const x = tf.add(tf.gather(centers, y), tf.randomNormal([n, 4], 0, 0.7)) as tf.Tensor2D;
  return { x, y };
}

function mlp(dropout = 0.2): tf.LayersModel {
  return tf.sequential({
    layers: [
      tf.layers.dense({ units: 16, inputShape: [4], activation: 'relu' }),
      tf.layers.batchNormalization(),
      tf.layers.dropout({ rate: dropout }),
      tf.layers.dense({ units: 3 }),
    ],
  });
}

const stepLosses = (h: { kind: string; loss?: unknown }[]) =>
  h.filter((r) => r.kind === 'step').map((r) => r.loss);

describe('fit', () => {
  it('learns, reports metrics and validation, and writes history.jsonl', async () => {
    const data = blobs();
    setSeed(2);
    const net = mlp();
    const runDir = join(tmp, 'learns');
    const r = await fit(layersTask(net), tensorDataSource(data, { batchSize: 16, shuffle: true }), {
      epochs: 8,
      optimizer: { name: 'adam', lr: 0.02 },
      metrics: ['accuracy'],
      validation: tensorDataSource(data, { batchSize: 32 }),
      runDir,
      seed: 3,
      progress: false,
    });
    const epochs = r.history.filter((h) => h.kind === 'epoch');
    assert.equal(epochs.length, 8);
    assert.ok(Number(epochs[7]!.loss) < Number(epochs[0]!.loss) / 2, 'loss halves');
    assert.ok(Number(epochs[7]!.val_accuracy) > 0.9, `val accuracy ${epochs[7]!.val_accuracy}`);
    assert.deepEqual(readHistory(join(runDir, 'history.jsonl')), r.history);
  });

  it('keeps tf.memory().numTensors flat across 200 training steps', async () => {
    const data = blobs(64);
    const net = mlp();
    const task = layersTask(net);
    const train = tensorDataSource(data, { batchSize: 8, shuffle: true });
    const opts = {
      optimizer: tf.train.adam(0.01),
      metrics: ['accuracy'],
      clipNorm: 1,
      progress: false as const,
    };
    await fit(task, train, { ...opts, epochs: 1 }); // optimizer slots are created on the first step
    const before = tf.memory().numTensors;
    await fit(task, train, { ...opts, epochs: 25 }); // 25 × 8 = 200 steps
    assert.equal(tf.memory().numTensors, before);
  });

  it('resume after a crash continues the same loss curve as an uninterrupted run', async () => {
    const data = blobs(64);
    const run = async (runDir: string, extra: object) => {
      setSeed(5);
      const net = mlp(0.3); // dropout: the RNG state must be restored too
      return fit(layersTask(net), tensorDataSource(data, { batchSize: 8, shuffle: true }), {
        epochs: 3,
        optimizer: { name: 'adam', lr: 0.01 },
        seed: 9,
        runDir,
        logEvery: 1,
        checkpointEvery: 5,
        progress: false,
        ...extra,
      });
    };
    const full = await run(join(tmp, 'full'), {});
    const crashed = await run(join(tmp, 'crash'), { maxSteps: 13 }); // "crash" at step 13: last checkpoint at 10
    assert.equal(crashed.steps, 13);
    const resumed = await run(join(tmp, 'crash'), { resume: true });
    assert.match(resumed.resumedFrom ?? '', /step-000010$/);
    assert.equal(resumed.steps, 24);
    assert.deepEqual(stepLosses(resumed.history), stepLosses(full.history));
    assert.deepEqual(stepLosses(readHistory(join(tmp, 'crash', 'history.jsonl'))), stepLosses(full.history));
  });

  it('refuses to resume from a checkpoint of another model', async () => {
    const data = blobs(32);
    const runDir = join(tmp, 'other');
    await fit(layersTask(mlp()), tensorDataSource(data, { batchSize: 8 }), {
      epochs: 1,
      optimizer: { name: 'sgd', lr: 0.1 },
      runDir,
      progress: false,
    });
    const other = tf.sequential({ layers: [tf.layers.dense({ units: 3, inputShape: [4] })] });
    await assert.rejects(
      fit(layersTask(other), tensorDataSource(data, { batchSize: 8 }), {
        epochs: 2,
        optimizer: { name: 'sgd', lr: 0.1 },
        runDir,
        resume: true,
        progress: false,
      }),
      (e: Error) =>
        e instanceof CheckpointError && /holds 8 state tensors but the model has 2/.test(e.message),
    );
  });

  it('stops on a NaN loss and names the step', async () => {
    const data = blobs(32);
    await assert.rejects(
      fit(layersTask(mlp(0)), tensorDataSource(data, { batchSize: 8 }), {
        epochs: 1,
        optimizer: { name: 'sgd', lr: 1e30 },
        progress: false,
      }),
      (e: Error) => {
        assert.ok(e instanceof NonFiniteLossError, String(e));
        assert.match(e.message, /loss is (NaN|Infinity) at epoch 1, step [2-4]/);
        return true;
      },
    );
  });

  it('gradient accumulation of 2×8 equals one step of 16 (linear model, no dropout)', async () => {
    const data = blobs(32);
    const weightsAfter = async (batchSize: number, accumulate: number) => {
      setSeed(4);
      const net = tf.sequential({ layers: [tf.layers.dense({ units: 3, inputShape: [4] })] });
      await fit(layersTask(net), tensorDataSource(data, { batchSize }), {
        epochs: 1,
        optimizer: { name: 'sgd', lr: 0.5 },
        accumulate,
        progress: false,
      });
      return net.getWeights().flatMap((w) => Array.from(w.dataSync()));
    };
    const a = await weightsAfter(16, 1);
    const b = await weightsAfter(8, 2);
    a.forEach((v, i) => {
      assert.ok(Math.abs(v - b[i]!) < 1e-5, `weight ${i}: ${v} vs ${b[i]}`);
    });
  });

  it('early stopping ends training and restores the best weights', async () => {
    const data = blobs(48);
    const net = mlp(0);
    const task = layersTask(net);
    // A validation "metric" that only gets worse after epoch 2: val on shuffled labels.
    const bad = {
      x: data.x,
      y: tf.tensor1d(
        Array.from({ length: 48 }, (_, i) => (i + 1) % 3),
        'int32',
      ),
    };
    const es = new EarlyStopping({
      monitor: 'val_loss',
      patience: 2,
      restoreBest: true,
      variables: () => task.stateTensors(),
    });
    const r = await fit(task, tensorDataSource(data, { batchSize: 8 }), {
      epochs: 50,
      optimizer: { name: 'adam', lr: 0.05 },
      validation: tensorDataSource(bad, { batchSize: 48 }),
      callbacks: [es],
      progress: false,
    });
    assert.ok(r.epochs < 50, 'stopped early');
    assert.match(r.stopped ?? '', /val_loss did not improve for 2 epochs/);
    assert.equal(r.epochs, es.bestEpoch + 2);
  });

  it('custom step-function tasks: a linear regression written with variables', async () => {
    setSeed(8);
    const X = tf.randomNormal([200, 2]);
    const y = tf.add(tf.matMul(X, tf.tensor2d([[2], [-3.4]])), 4.2);
    const w = tf.variable(tf.randomNormal([2, 1], 0, 0.01), true, 'lr_w');
    const b = tf.variable(tf.zeros([1]), true, 'lr_b');
    const task: TrainTask<XYBatch> = {
      trainableVariables: () => [w, b],
      stateTensors: () => [w, b],
      loss: (batch) =>
        tf.mean(tf.square(tf.sub(tf.add(tf.matMul(batch.x as tf.Tensor, w), b), batch.y))) as tf.Scalar,
      batchSize: (batch) => batch.y.shape[0]!,
    };
    await fit(task, tensorDataSource({ x: X, y }, { batchSize: 10, shuffle: true }), {
      epochs: 10,
      optimizer: { name: 'sgd', lr: 0.03 },
      progress: false,
    });
    // d2l §3.4 recovers w = [2, -3.4], b = 4.2
    const [w0, w1] = Array.from(w.dataSync());
    assert.ok(
      Math.abs(w0! - 2) < 0.01 && Math.abs(w1! + 3.4) < 0.01 && Math.abs(b.dataSync()[0]! - 4.2) < 0.01,
    );
  });

  it('progress shows counts, values, throughput and ETA as plain lines off a TTY', async () => {
    const lines: string[] = [];
    const stream = { write: (s: string) => lines.push(s), isTTY: false } as unknown as NodeJS.WritableStream;
    const data = blobs(32);
    await fit(layersTask(mlp()), tensorDataSource(data, { batchSize: 8 }), {
      epochs: 1,
      optimizer: { name: 'sgd', lr: 0.1 },
      metrics: ['accuracy'],
      progress: { stream: stream as never, plainEvery: 0 },
    });
    assert.match(
      lines[0]!,
      /^epoch 1\/1 {2}1\/4 {2}loss \d\.\d{4} {2}accuracy \d\.\d{4} {2}[\d.]+ samples\/s {2}ETA \d+:\d\d\n$/,
    );
    assert.ok(!lines.join('').includes('\r'));
  });
});
