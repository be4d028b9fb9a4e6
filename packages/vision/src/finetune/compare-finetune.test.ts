import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { OptionsError } from '@dlpipe/core';
import { initBackend, tf } from '@dlpipe/tensor';
import { loadMnistSubset } from '../datasets/mnist-subset.js';
import { ImageShapeError, PretrainedModelError } from '../errors.js';
import { compareFinetune } from './compare-finetune.js';

const tmp = mkdtempSync(join(tmpdir(), 'dlpipe-vision-compare-'));
before(async () => {
  await initBackend(); // MobileNetV2 training steps: native/wasm
});
after(() => rmSync(tmp, { recursive: true, force: true }));

/** Every weight of the net except the head's, in layer order (batch-norm statistics included). */
const backbone = (net: tf.LayersModel) =>
  net.layers.filter((l) => l.name !== 'head').flatMap((l) => l.getWeights().map((w) => w.dataSync().slice()));

describe('compareFinetune (tiny: MNIST 32×32 RGB, 40 images, 1 + 1 epochs)', () => {
  it('runs both phases and the scratch run, freezes and unfreezes as it should, writes the comparison', async () => {
    const d = loadMnistSubset('mnist', { perClass: 4, testSize: 24, size: 32, channels: 3, seed: 3 });
    const seen: string[] = [];
    const snap: Partial<Record<string, Float32Array[]>> = {};
    const head: Record<string, Float32Array> = {};
    const r = await compareFinetune({
      train: d.train,
      test: d.test,
      numClasses: 10,
      headEpochs: 1,
      fullEpochs: 1,
      batchSize: 16,
      runDir: join(tmp, 'cmp'),
      progress: false,
      onPhase: ({ phase, stage, net }) => {
        seen.push(`${phase}:${stage}`);
        snap[`${phase}:${stage}`] = backbone(net) as Float32Array[];
        if (phase !== 'scratch')
          head[`${phase}:${stage}`] = net
            .getLayer('head')
            .getWeights()[0]!
            .dataSync()
            .slice() as Float32Array;
      },
    });
    assert.deepEqual(seen, [
      'head:start',
      'head:end',
      'full:start',
      'full:end',
      'scratch:start',
      'scratch:end',
    ]);
    const pretrained = snap['head:start']!;
    // the frozen phase leaves every backbone weight and batch-norm statistic alone, and trains the head
    assert.deepEqual(snap['head:end'], pretrained);
    assert.notDeepEqual(head['head:end'], head['head:start']);
    // the unfrozen phase moves the backbone
    assert.notDeepEqual(snap['full:end'], pretrained);
    // the scratch net has the same shapes, other values, and trains too
    const fresh = snap['scratch:start']!;
    assert.deepEqual(
      fresh.map((w) => w.length),
      pretrained.map((w) => w.length),
    );
    assert.notDeepEqual(fresh[0], pretrained[0]);
    assert.notDeepEqual(snap['scratch:end']![0], fresh[0]);

    assert.deepEqual(
      r.finetuned.epochs.map((e) => [e.epoch, e.phase]),
      [
        [1, 'head'],
        [2, 'full'],
      ],
    );
    assert.deepEqual(
      r.scratch.epochs.map((e) => [e.epoch, e.phase]),
      [
        [1, 'scratch'],
        [2, 'scratch'],
      ],
    );
    for (const arm of [r.finetuned, r.scratch]) {
      assert.ok(arm.accuracy >= 0 && arm.accuracy <= 1, String(arm.accuracy));
      assert.equal(arm.accuracy, arm.epochs.at(-1)?.val_accuracy);
      assert.ok(arm.seconds > 0);
      // the reported accuracy is the net's own on the test images (24: a multiple of 1/24)
      const yHat = tf.tidy(() => tf.argMax(arm.net.predict(d.test.x) as tf.Tensor, -1));
      const hits = tf.tidy(() => tf.sum(tf.cast(tf.equal(yHat, d.test.y), 'int32')).dataSync()[0]!);
      assert.ok(Math.abs(arm.accuracy - hits / 24) < 1e-6);
      yHat.dispose();
      arm.net.dispose();
    }
    assert.deepEqual(r.settings.inputSize, 32);
    const json = JSON.parse(readFileSync(join(tmp, 'cmp', 'comparison.json'), 'utf8'));
    assert.deepEqual(
      [json.finetuned.accuracy, json.scratch.accuracy],
      [r.finetuned.accuracy, r.scratch.accuracy],
    );
    for (const f of [
      'comparison.png',
      'finetuned/head/history.jsonl',
      'finetuned/full/history.jsonl',
      'scratch/history.jsonl',
    ]) {
      assert.ok(existsSync(join(tmp, 'cmp', f)), f);
    }
  });

  it('rejects gray, non-square or odd-sized images and zero epochs before training', async () => {
    const gray = { x: tf.zeros([2, 32, 32, 1]) as tf.Tensor4D, y: tf.tensor1d([0, 1], 'int32') };
    await assert.rejects(
      compareFinetune({ train: gray, test: gray, numClasses: 2, progress: false }),
      (e: unknown) =>
        e instanceof ImageShapeError && /\[2,32,32,1\]; resize and replicate gray/.test(e.message),
    );
    const odd = { x: tf.zeros([2, 40, 40, 3]) as tf.Tensor4D, y: gray.y };
    await assert.rejects(
      compareFinetune({ train: odd, test: odd, numClasses: 2, progress: false }),
      (e: unknown) => e instanceof PretrainedModelError && /inputSize 40 .* multiple of 32/.test(e.message),
    );
    const rgb = { x: tf.zeros([2, 32, 32, 3]) as tf.Tensor4D, y: gray.y };
    await assert.rejects(
      compareFinetune({
        train: rgb,
        test: rgb,
        numClasses: 2,
        headEpochs: 0,
        fullEpochs: 0,
        progress: false,
      }),
      (e: unknown) => e instanceof OptionsError && /at least 1 epoch/.test(e.message),
    );
  });
});
