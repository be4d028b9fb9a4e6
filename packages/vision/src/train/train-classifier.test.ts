import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { initBackend, tensorDataSource, tf } from '@dlpipe/tensor';
import { loadMnistTensors } from '../datasets/mnist.js';
import { zooEntry } from '../models/registry.js';
import { trainClassifier } from './train-classifier.js';

const tmp = mkdtempSync(join(tmpdir(), 'dlpipe-vision-train-'));
before(async () => {
  await initBackend(); // native or wasm: the cpu backend takes minutes for LeNet's convolutions
});
after(() => rmSync(tmp, { recursive: true, force: true }));

describe('trainClassifier', () => {
  it('LeNet-BN overfits 64 MNIST images to 100% and writes the run files', async () => {
    const warnings: string[] = []; // the first epoch is at chance: its running statistics are still warming up
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
      onWarning: (l) => warnings.push(l),
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

  it("LeNet learns with the zoo's defaults; with d2l's plain SGD at 0.1 it stays at chance and says so", async () => {
    // 4,000 Fashion-MNIST images, 2 epochs of 63 steps: a slice of the default run (10 epochs of 60,000)
    const m = loadMnistTensors('fashion-mnist', { limit: 4000, testLimit: 1000 });
    const common = {
      model: 'lenet',
      train: tensorDataSource(m.train, { batchSize: 64, shuffle: true }),
      test: m.test,
      classNames: m.classNames,
      epochs: 2,
      progress: false,
    };
    assert.deepEqual(
      [zooEntry('lenet').train.optimizer, zooEntry('lenet').train.lr, zooEntry('lenet').train.epochs],
      ['adam', 0.005, 10],
    );
    const warnings: string[] = [];
    const ours = await trainClassifier({
      ...common,
      runDir: join(tmp, 'lenet-defaults'),
      onWarning: (l) => warnings.push(l),
    });
    assert.ok(ours.testAccuracy > 0.6, `LeNet with its defaults: test accuracy ${ours.testAccuracy}`);
    assert.equal(warnings.length, 0, warnings.join('\n'));
    const metrics = JSON.parse(readFileSync(join(tmp, 'lenet-defaults', 'metrics.json'), 'utf8'));
    assert.deepEqual(metrics.settings.optimizer, { name: 'adam', lr: 0.005 });
    assert.equal(metrics.classNames[0], 't-shirt');
    const saved = JSON.parse(readFileSync(join(tmp, 'lenet-defaults', 'model', 'model.json'), 'utf8'));
    assert.deepEqual(saved.userDefinedMetadata.classNames, m.classNames);
    ours.net.dispose();

    const d2l = await trainClassifier({
      ...common,
      optimizer: { name: 'sgd', lr: 0.1 },
      runDir: join(tmp, 'lenet-sgd'),
      onWarning: (l) => warnings.push(l),
    });
    assert.ok(d2l.testAccuracy < 0.15, `LeNet with SGD at 0.1: test accuracy ${d2l.testAccuracy}`);
    assert.equal(warnings.length, 1, 'warned once, not after every epoch');
    assert.match(
      warnings[0]!,
      /^dlpipe: val_accuracy 0\.\d{3} after epoch 1 is at chance level \(0\.1\d\d for 10 classes\): .*--lr/,
    );
    d2l.net.dispose();
    tf.dispose([m.train.x, m.train.y, m.test.x, m.test.y]);
  });
});
