/** fit's checkpoints: a crashed run resumes on the same curve; another model's checkpoint is refused. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Rng, setSeed } from '@dlpipe/core';
import { tf } from '@dlpipe/engine';
import { CheckpointError } from '../errors.js';
import { createOptimizer } from '../optim/create-optimizer.js';
import { writeCheckpoint } from './checkpoint.js';
import { tensorDataSource } from './data-source.js';
import { fit } from './fit.js';
import { blobs, mlp, stepLosses } from './fit-fixtures.js';
import { readHistory } from './history.js';
import { layersTask } from './layers-task.js';
import type { HistoryRecord } from './types.js';

const tmp = mkdtempSync(join(tmpdir(), 'dlpipe-fit-resume-'));
before(async () => {
  await tf.setBackend('cpu');
});
after(() => rmSync(tmp, { recursive: true, force: true }));

describe('fit resume', () => {
  it("writing a checkpoint leaves no tensor behind (the optimizer's iter scalar is freed)", async () => {
    const v = tf.variable(tf.ones([3]), true, 'ckpt_leak_v');
    const opt = createOptimizer({ name: 'adam', lr: 0.1 });
    opt.minimize(() => tf.sum(tf.square(v)) as tf.Scalar);
    const before = tf.memory().numTensors;
    const meta = { epoch: 0, stepInEpoch: 1, dataSeed: 1, rng: new Rng(1).getState(), callbacks: [] };
    for (let i = 0; i < 3; i++)
      await writeCheckpoint(join(tmp, 'leak'), [v], opt, { ...meta, globalStep: i + 1 });
    assert.equal(tf.memory().numTensors, before);
    opt.dispose();
    v.dispose();
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
        metrics: ['accuracy'],
        progress: false,
        ...extra,
      });
    };
    const full = await run(join(tmp, 'full'), {});
    const crashed = await run(join(tmp, 'crash'), { maxSteps: 13 }); // "crash" at step 13: last checkpoint at 10
    assert.equal(crashed.steps, 13);
    const said: string[] = [];
    const write = process.stderr.write;
    process.stderr.write = ((chunk: string) => said.push(String(chunk)) > 0) as typeof write;
    const quiet = process.env.DLPIPE_QUIET;
    delete process.env.DLPIPE_QUIET;
    let resumed: Awaited<ReturnType<typeof run>>;
    try {
      resumed = await run(join(tmp, 'crash'), { resume: true });
    } finally {
      process.stderr.write = write;
      if (quiet !== undefined) process.env.DLPIPE_QUIET = quiet;
    }
    assert.match(resumed.resumedFrom ?? '', /step-000010$/);
    // 8 steps an epoch: step 10 is in epoch 2, which the resume continues
    assert.deepEqual(
      said.filter((l) => l.includes('resuming')),
      [`dlpipe: resuming from epoch 2, step 10 (checkpoint ${resumed.resumedFrom})\n`],
    );
    assert.equal(resumed.steps, 24);
    assert.deepEqual(stepLosses(resumed.history), stepLosses(full.history));
    assert.deepEqual(stepLosses(readHistory(join(tmp, 'crash', 'history.jsonl'))), stepLosses(full.history));
    // the epoch the crash cut in two ends with the same mean loss and accuracy: its running sums
    // were in the checkpoint (they once restarted at the resume, averaging two batches)
    const epochs = (h: HistoryRecord[]) =>
      h.filter((r) => r.kind === 'epoch').map(({ seconds: _s, ...r }) => r);
    assert.deepEqual(epochs(readHistory(join(tmp, 'crash', 'history.jsonl'))), epochs(full.history));
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
});
