import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setSeed } from '@dlpipe/core';
import { tf } from '@dlpipe/engine';
import { ChanceLevelWarning } from './chance-level-warning.js';
import { tensorDataSource } from './data-source.js';
import { fit } from './fit.js';
import { layersTask } from './layers-task.js';
import type { TrainTask, XYBatch } from './types.js';

before(async () => {
  await tf.setBackend('cpu');
});

/** 3 separable blobs in 4-D, labels 0, 1, 2 in turn. */
function blobs(n: number) {
  setSeed(1);
  const y = tf.tensor1d(
    Array.from({ length: n }, (_, i) => i % 3),
    'int32',
  );
  const centers = tf.tensor2d([
    [3, 0, 0, 0],
    [0, 3, 0, 0],
    [0, 0, 3, 0],
  ]);
  return { x: tf.add(tf.gather(centers, y), tf.randomNormal([n, 4], 0, 0.5)) as tf.Tensor2D, y };
}
const data = blobs(48);
after(() => tf.dispose([data.x, data.y]));

/** A "model" that always says class 0 (its one weight never reaches the logits): accuracy 1/3. */
function constantTask(): TrainTask<XYBatch> {
  const w = tf.variable(tf.scalar(0));
  return {
    trainableVariables: () => [w],
    stateTensors: () => [w],
    loss: ({ y }) => {
      const yHat = tf.add(tf.mul(w, 0), tf.oneHot(tf.zerosLike(y).toInt(), 3).toFloat());
      return { loss: tf.mul(tf.sum(w), 0).add(1) as tf.Scalar, yHat, y };
    },
  };
}

const run = (task: TrainTask<XYBatch>, warning: ChanceLevelWarning, epochs = 3) =>
  fit(task, tensorDataSource(data, { batchSize: 8, shuffle: true }), {
    epochs,
    optimizer: { name: 'sgd', lr: 0.1 },
    metrics: ['accuracy'],
    seed: 3,
    progress: false,
    callbacks: [warning],
  });

describe('ChanceLevelWarning', () => {
  it('warns once, after the first epoch at chance, with the epoch, the value and what to try', async () => {
    const lines: string[] = [];
    await run(constantTask(), new ChanceLevelWarning({ numClasses: 3, warn: (l) => lines.push(l) }));
    assert.equal(lines.length, 1, lines.join('\n'));
    assert.match(
      lines[0]!,
      /^dlpipe: accuracy 0\.333 after epoch 1 is at chance level \(0\.333 for 3 classes\): the model is not learning yet; try another learning rate \(--lr: lower .*, higher .*\), more --epochs, or .*--optimizer momentum or adam/,
    );
  });

  it('says nothing when the model learns, and watches val_accuracy when there is one', async () => {
    const lines: string[] = [];
    setSeed(4);
    const net = tf.sequential({ layers: [tf.layers.dense({ units: 3, inputShape: [4] })] });
    const r = await run(
      layersTask(net),
      new ChanceLevelWarning({ numClasses: 3, warn: (l) => lines.push(l) }),
    );
    assert.ok((r.history.at(-1)!.accuracy as number) > 0.9);
    assert.equal(lines.length, 0, lines.join('\n'));
    const w = new ChanceLevelWarning({ numClasses: 10, warn: (l) => lines.push(l) });
    const ctx = { epoch: 2 } as Parameters<ChanceLevelWarning['onEpochEnd']>[1];
    w.onEpochEnd({ kind: 'epoch', epoch: 2, step: 9, accuracy: 0.5, val_accuracy: 0.11 }, ctx);
    assert.match(
      lines[0] ?? '',
      /val_accuracy 0\.110 after epoch 2 is at chance level \(0\.100 for 10 classes\)/,
    );
    net.dispose();
  });

  it('takes the most frequent class as chance on unbalanced data', () => {
    const share = ChanceLevelWarning.majorityShare([1, 1, 1, 0, 2, 1, 0]);
    assert.equal(share, 4 / 7);
    const lines: string[] = [];
    const w = new ChanceLevelWarning({ numClasses: 3, chance: share, warn: (l) => lines.push(l) });
    const ctx = { epoch: 1 } as Parameters<ChanceLevelWarning['onEpochEnd']>[1];
    w.onEpochEnd({ kind: 'epoch', epoch: 1, step: 3, accuracy: 0.58 }, ctx); // well above 1/3, yet about all "1"
    assert.match(lines[0] ?? '', /accuracy 0\.580 after epoch 1 is at chance level \(0\.571 for 3 classes\)/);
  });

  it('refuses fewer than two classes', () => {
    assert.throws(() => new ChanceLevelWarning({ numClasses: 1 }), /numClasses ≥ 2.*got 1/);
  });
});
