import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { initBackend, tensorDataSource } from '@dlpipe/tensor';
import { loadMnistTensors } from '../datasets/mnist.js';
import { trainClassifier } from './train-classifier.js';

const tmp = mkdtempSync(join(tmpdir(), 'dlpipe-vision-train-'));
before(async () => {
  await initBackend(); // native or wasm: the cpu backend takes minutes for LeNet's convolutions
});
after(() => rmSync(tmp, { recursive: true, force: true }));

describe('trainClassifier', () => {
  it('LeNet-BN overfits 64 MNIST images to 100% and writes the run files', async () => {
    const m = loadMnistTensors('mnist', { limit: 64, testLimit: 1 });
    const data = { x: m.train.x, y: m.train.y };
    const runDir = join(tmp, 'lenet-bn');
    const r = await trainClassifier({
      model: 'lenet-bn',
      train: tensorDataSource(data, { batchSize: 16, shuffle: true }),
      test: data, // the report on the training set: 100% means overfitted
      classNames: m.classNames,
      epochs: 20,
      optimizer: { name: 'adam', lr: 0.01 },
      runDir,
      progress: false,
    });
    assert.equal(r.testAccuracy, 1);
    for (const f of [
      'metrics.json',
      'curves.png',
      'confusion-matrix.png',
      'model/model.json',
      'history.jsonl',
    ]) {
      assert.ok(existsSync(join(runDir, f)), f);
    }
    const metrics = JSON.parse(readFileSync(join(runDir, 'metrics.json'), 'utf8'));
    assert.deepEqual([metrics.model.params, metrics.test.accuracy], [44878, 1]);
  });
});
