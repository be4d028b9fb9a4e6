import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { InvalidArgumentError, OptionsError, PathError, setSeed } from '@dlpipe/core';
import { tf } from '@dlpipe/engine';
import { NonFiniteLossError } from '../errors.js';
import type { Callback } from './callback.js';
import { tensorDataSource } from './data-source.js';
import { EarlyStopping } from './early-stopping.js';
import { evaluate } from './evaluate.js';
import { fit } from './fit.js';
import { blobs, mlp } from './fit-fixtures.js';
import { readHistory } from './history.js';
import { layersTask } from './layers-task.js';
import type { TrainTask, XYBatch } from './types.js';

const tmp = mkdtempSync(join(tmpdir(), 'dlpipe-fit-'));
before(async () => {
  await tf.setBackend('cpu');
});
after(() => rmSync(tmp, { recursive: true, force: true }));

describe('fit', () => {
  it('learns, reports metrics and validation on held-out data, and writes history.jsonl', async () => {
    const data = blobs();
    const heldOut = blobs(60, 11); // other draws from the same blobs: validation never sees training examples
    setSeed(2);
    const net = mlp();
    const task = layersTask(net);
    const runDir = join(tmp, 'learns');
    const r = await fit(task, tensorDataSource(data, { batchSize: 16, shuffle: true }), {
      epochs: 8,
      optimizer: { name: 'adam', lr: 0.02 },
      metrics: ['accuracy'],
      validation: tensorDataSource(heldOut, { batchSize: 32 }),
      runDir,
      seed: 3,
      progress: false,
    });
    const epochs = r.history.filter((h) => h.kind === 'epoch');
    assert.equal(epochs.length, 8);
    assert.ok(Number(epochs[7]!.loss) < Number(epochs[0]!.loss) / 2, 'loss halves');
    assert.ok(Number(epochs[7]!.val_accuracy) > 0.9, `val accuracy ${epochs[7]!.val_accuracy}`);
    // The val_ values are the held-out set's (the model has not changed since the last epoch's validation).
    const onHeldOut = await evaluate(task, tensorDataSource(heldOut, { batchSize: 32 }), {
      metrics: ['accuracy'],
    });
    const onTrain = await evaluate(task, tensorDataSource(data, { batchSize: 32 }), {
      metrics: ['accuracy'],
    });
    assert.ok(
      Math.abs(Number(epochs[7]!.val_loss) - onHeldOut.loss!) < 1e-6,
      `val_loss ${epochs[7]!.val_loss}`,
    );
    assert.ok(
      Math.abs(Number(epochs[7]!.val_loss) - onTrain.loss!) > 1e-4,
      'val_loss is not the training loss',
    );
    assert.equal(epochs[7]!.val_accuracy, onHeldOut.accuracy);
    assert.deepEqual(readHistory(join(runDir, 'history.jsonl')), r.history);
  });

  it('calls a user callback in order, with the epoch, step and logs of each batch, step and epoch', async () => {
    const data = blobs(24);
    const events: string[] = [];
    const batchLosses: number[] = [];
    const stepRecords: unknown[] = [];
    const spy: Callback = {
      onTrainBegin: (c) => void events.push(`train-begin e${c.epoch} s${c.step}`),
      onEpochBegin: (c) => void events.push(`epoch-begin e${c.epoch} s${c.step}`),
      onBatchEnd: (logs, c) => {
        events.push(`batch ${logs.batch} e${c.epoch} s${c.step}`);
        assert.equal(logs.size, 4);
        assert.ok(Number.isFinite(logs.running.loss) && 'accuracy' in logs.running, JSON.stringify(logs));
        batchLosses.push(logs.loss);
      },
      onStepEnd: (rec, c) => {
        events.push(`step ${rec.step} of epoch ${rec.epoch} e${c.epoch} s${c.step}`);
        // accumulate: 2 → a step's loss is the mean of its two micro-batches'
        assert.ok(Math.abs(Number(rec.loss) - (batchLosses.at(-1)! + batchLosses.at(-2)!) / 2) < 1e-6);
        stepRecords.push(rec);
      },
      onEpochEnd: (rec, c) => {
        events.push(`epoch-end ${rec.epoch} e${c.epoch} s${c.step}`);
        assert.equal(rec.kind, 'epoch');
        for (const k of ['loss', 'accuracy', 'val_loss', 'val_accuracy', 'seconds']) assert.ok(k in rec, k);
      },
      onTrainEnd: (c) => void events.push(`train-end e${c.epoch} s${c.step}`),
    };
    const r = await fit(layersTask(mlp(0)), tensorDataSource(data, { batchSize: 4 }), {
      epochs: 2,
      optimizer: { name: 'sgd', lr: 0.1 },
      accumulate: 2,
      metrics: ['accuracy'],
      validation: tensorDataSource(blobs(12, 7), { batchSize: 12 }),
      logEvery: 1,
      callbacks: [spy],
      progress: false,
    });
    const expected = ['train-begin e0 s0'];
    for (const e of [0, 1]) {
      expected.push(`epoch-begin e${e} s${3 * e}`);
      for (let b = 0; b < 6; b++) {
        const s = 3 * e + Math.floor(b / 2);
        expected.push(`batch ${b} e${e} s${s}`);
        if (b % 2 === 1) expected.push(`step ${s + 1} of epoch ${e + 1} e${e} s${s + 1}`);
      }
      expected.push(`epoch-end ${e + 1} e${e + 1} s${3 * e + 3}`);
    }
    expected.push('train-end e2 s6');
    assert.deepEqual(events, expected);
    assert.deepEqual(
      r.history.filter((h) => h.kind === 'step'),
      stepRecords,
    );
    assert.equal(r.steps, 6);
  });

  it('a callback can stop training mid-epoch (no epoch record) or at an epoch end', async () => {
    const data = blobs(12);
    const ended: number[] = [];
    const run = (stop: Callback) =>
      fit(layersTask(mlp()), tensorDataSource(data, { batchSize: 4 }), {
        epochs: 5,
        optimizer: { name: 'sgd', lr: 0.1 },
        logEvery: 1,
        callbacks: [stop, { onTrainEnd: (c) => void ended.push(c.step) }],
        progress: false,
      });
    const mid = await run({
      onStepEnd: (rec, c) => (rec.step === 5 ? c.requestStop('enough at step 5') : undefined),
    });
    assert.equal(mid.stopped, 'enough at step 5');
    assert.equal(mid.steps, 5);
    assert.equal(mid.epochs, 1);
    assert.deepEqual(
      mid.history.filter((h) => h.kind === 'epoch').map((h) => h.epoch),
      [1],
    );
    const atEnd = await run({
      onEpochEnd: (rec, c) => (rec.epoch === 2 ? c.requestStop('two epochs') : undefined),
    });
    assert.equal(atEnd.stopped, 'two epochs');
    assert.equal(atEnd.epochs, 2);
    assert.equal(atEnd.steps, 6);
    assert.deepEqual(ended, [5, 6], 'onTrainEnd runs after a stop');
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

  it('stops on a NaN loss, names the step and leaks no gradients', async () => {
    const data = blobs(32);
    for (const accumulate of [1, 2]) {
      const net = mlp(0);
      const optimizer = tf.train.sgd(1e30);
      const before = tf.memory().numTensors;
      await assert.rejects(
        fit(layersTask(net), tensorDataSource(data, { batchSize: 8 }), {
          epochs: 1,
          optimizer,
          accumulate,
          progress: false,
        }),
        (e: Error) => {
          assert.ok(e instanceof NonFiniteLossError, String(e));
          assert.match(e.message, /loss is (NaN|Infinity) at epoch 1, step [2-4]/);
          return true;
        },
      );
      assert.equal(tf.memory().numTensors, before, `accumulate ${accumulate}`);
      optimizer.dispose();
      net.dispose();
    }
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
    // restoreBest without `variables`: the run's task.stateTensors() are snapshotted.
    const es = new EarlyStopping({ monitor: 'val_loss', patience: 2, restoreBest: true });
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
    const last = r.history.filter((h) => h.kind === 'epoch').at(-1)!;
    const now = await evaluate(task, tensorDataSource(bad, { batchSize: 48 }));
    assert.ok(Math.abs(now.loss! - es.best) < 1e-6, `restored val_loss ${now.loss}, best ${es.best}`);
    assert.ok(Number(last.val_loss) > es.best, 'the last epoch was worse than the restored one');
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

describe('bad input to the loop is a typed error that says how to fix it', () => {
  it('tensorDataSource, layersTask, EarlyStopping and readHistory', async () => {
    const x = tf.zeros([4, 2]);
    const y = tf.zeros([3]);
    assert.throws(() => tensorDataSource({ x, y }, { batchSize: 2 }), InvalidArgumentError);
    assert.throws(
      () => tensorDataSource({ x, y: x }, { batchSize: 0 }),
      /batchSize must be >= 1, received 0/,
    );
    assert.throws(() => tensorDataSource({ x, y: x }, { batchSize: 0 }), OptionsError);
    const net = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2] })] });
    assert.throws(
      () => layersTask(net, { loss: 'toString' as 'mse' }),
      (e: Error) => {
        return e instanceof OptionsError && /unknown loss 'toString'; expected one of .*mse/.test(e.message);
      },
    );
    await assert.rejects(
      fit(layersTask(net, { loss: 'mse' }), tensorDataSource({ x, y: tf.zeros([4, 1]) }, { batchSize: 2 }), {
        epochs: 1,
        optimizer: { name: 'sgd', lr: 0.1 },
        callbacks: [new EarlyStopping({ monitor: 'val_loss' })],
        progress: false,
      }),
      (e: Error) => e instanceof OptionsError && /add validation data/.test(e.message),
    );
    const bad = join(tmp, 'bad-history.jsonl');
    writeFileSync(bad, '{"kind":"step","epoch":1,"step":1}\nnot json\n{"kind":"step","epoch":1,"step":2}\n');
    assert.throws(
      () => readHistory(bad),
      (e: Error) => e instanceof PathError && /line 2 is not JSON/.test(e.message),
    );
    tf.dispose([x, y]);
    net.dispose();
  });
});
