import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { initBackend, saveModel, tf } from '@dlpipe/tensor';
import { DatasetError } from '../errors.js';
import { encodeImage } from '../image/tensor-image.js';
import { predict, topKClasses } from './predict.js';
import { classNamesOf, loadTrainedRun, modelInput, setClassNames } from './trained-run.js';

const tmp = mkdtempSync(join(tmpdir(), 'dlpipe-vision-predict-'));
const runDir = join(tmp, 'run');
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/**
 * A 4×4 gray "classifier" with known weights: logits = [0.5 − 0.1·Σx, 0.1·Σx], so a black image
 * is dark with softmax σ(0.5) and a white one (Σx = 16) bright with σ(1.6 − (0.5 − 1.6)) = σ(2.7).
 */
before(async () => {
  await initBackend();
  const net = tf.sequential({
    layers: [
      tf.layers.flatten({ inputShape: [4, 4, 1] }),
      tf.layers.dense({
        units: 2,
        weights: [tf.tensor2d(Array(16).fill([-0.1, 0.1]), [16, 2]), tf.tensor1d([0.5, 0])],
      }),
    ],
  });
  await saveModel(net, join(runDir, 'model'));
  writeFileSync(join(runDir, 'metrics.json'), JSON.stringify({ classNames: ['dark', 'bright'] }));
  mkdirSync(join(tmp, 'images'));
  for (const [name, v] of [
    ['black', 0],
    ['white', 255],
  ] as const) {
    writeFileSync(join(tmp, 'images', `${name}.png`), await encodeImage(tf.fill([4, 4, 3], v, 'int32')));
  }
  writeFileSync(join(tmp, 'list.csv'), 'path\nimages/white.png\nimages/black.png\n');
});
after(() => rmSync(tmp, { recursive: true, force: true }));

describe('topKClasses', () => {
  it('softmaxes each row and keeps the k best, best first, named', () => {
    const logits = tf.tensor2d([
      [1, 2, 3],
      [0, Math.log(3), 0],
    ]);
    const [a, b] = topKClasses(logits, 2, ['x', 'y', 'z']);
    const e = [Math.E, Math.E ** 2, Math.E ** 3];
    const sum = e[0]! + e[1]! + e[2]!;
    assert.deepEqual(
      a!.map((c) => [c.index, c.className]),
      [
        [2, 'z'],
        [1, 'y'],
      ],
    );
    assert.ok(Math.abs(a![0]!.score - e[2]! / sum) < 1e-6);
    assert.ok(Math.abs(a![1]!.score - e[1]! / sum) < 1e-6);
    assert.equal(b![0]!.className, 'y');
    assert.ok(Math.abs(b![0]!.score - 0.6) < 1e-6);
    assert.equal(topKClasses(logits, 10)[0]!.length, 3); // k is capped; names default to indices
    assert.equal(topKClasses(logits, 1)[0]![0]!.className, '2');
  });
});

describe('predict', () => {
  it('loads the run, reads its class names and input size', async () => {
    const { net, classNames } = await loadTrainedRun(runDir);
    assert.deepEqual(classNames, ['dark', 'bright']);
    assert.deepEqual(modelInput(net), { size: [4, 4], channels: 1 });
    net.dispose();
  });

  it('reads class names from model.json (no metrics.json needed), before metrics.json', async () => {
    const { net } = await loadTrainedRun(runDir);
    assert.deepEqual(classNamesOf(net), [], 'saved without metadata: names come from metrics.json');
    setClassNames(net, ['black', 'white']);
    const alone = join(tmp, 'metadata-only');
    await saveModel(net, join(alone, 'model'));
    net.dispose();
    const saved = JSON.parse(readFileSync(join(alone, 'model', 'model.json'), 'utf8'));
    assert.deepEqual(saved.userDefinedMetadata, { classNames: ['black', 'white'] });
    const rows = await predict({ runDir: alone, input: join(tmp, 'images', 'white.png'), topK: 2 });
    assert.deepEqual(
      rows[0]!.top.map((t) => t.className),
      ['white', 'black'],
    );
    writeFileSync(join(alone, 'metrics.json'), JSON.stringify({ classNames: ['dark', 'bright'] }));
    const again = await loadTrainedRun(alone);
    assert.deepEqual(again.classNames, ['black', 'white'], "the model's own names win");
    again.net.dispose();
  });

  it('scores a folder of loose images with the softmax of the saved weights', async () => {
    const rows = await predict({ runDir, input: join(tmp, 'images'), topK: 2 });
    assert.deepEqual(
      rows.map((r) => [r.path.endsWith('black.png'), r.top.map((t) => t.className)]),
      [
        [true, ['dark', 'bright']],
        [false, ['bright', 'dark']],
      ],
    );
    assert.ok(Math.abs(rows[0]!.top[0]!.score - sigmoid(0.5)) < 1e-4); // logits [0.5, 0]
    const white = sigmoid(1.6 - (0.5 - 1.6)); // logits [0.5 − 1.6, 1.6]: σ(2.7)
    assert.ok(Math.abs(rows[1]!.top[0]!.score - white) < 1e-4, `${rows[1]!.top[0]!.score} vs ${white}`);
  });

  it('takes a single image or a manifest the same way (one decision for all inputs)', async () => {
    const one = await predict({ runDir, input: join(tmp, 'images', 'white.png'), topK: 1 });
    assert.deepEqual(
      one.map((r) => r.top.map((t) => t.className)),
      [['bright']],
    );
    const listed = await predict({ runDir, input: join(tmp, 'list.csv'), topK: 1 });
    assert.deepEqual(
      listed.map((r) => [r.path.endsWith('white.png'), r.top[0]!.className]),
      [
        [true, 'bright'],
        [false, 'dark'],
      ],
    );
  });

  it('says what is missing: the input or the trained model', async () => {
    await assert.rejects(predict({ runDir, input: join(tmp, 'nope') }), DatasetError);
    await assert.rejects(
      predict({ runDir: join(tmp, 'empty'), input: join(tmp, 'images') }),
      /no trained model here/,
    );
  });
});
