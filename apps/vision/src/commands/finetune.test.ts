import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { tf } from '@dlpipe/tensor';
import { encodeImage } from '@dlpipe/vision';

const bin = new URL('../../bin/dlpipe-vision.mjs', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'dlpipe-vision-finetune-'));
const vision = (...args: string[]) =>
  spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    env: { ...process.env, DLPIPE_QUIET: '1' },
    timeout: 240_000,
  });

/** Two classes of 10 small RGB images each: red-ish and blue-ish squares. */
before(async () => {
  for (const [cls, rgb] of [
    ['red', [200, 30, 30]],
    ['blue', [30, 30, 200]],
  ] as const) {
    mkdirSync(join(tmp, 'data', cls), { recursive: true });
    for (let i = 0; i < 10; i++) {
      const img = tf.tidy(() =>
        tf.add(
          tf.zeros([24, 24, 3], 'int32'),
          tf.tensor1d(
            rgb.map((v) => v + i),
            'int32',
          ),
        ),
      );
      writeFileSync(join(tmp, 'data', cls, `${i}.png`), await encodeImage(img as tf.Tensor3D));
    }
  }
});
after(() => rmSync(tmp, { recursive: true, force: true }));

describe('pnpm vision finetune', () => {
  it('--compare on a folder trains both nets and writes the comparison and a report per run', () => {
    const runs = join(tmp, 'runs');
    const r = vision(
      'finetune',
      '--compare',
      '--data',
      join(tmp, 'data'),
      '--resize',
      '32',
      '--head-epochs',
      '8',
      '--epochs',
      '1',
      '--batch',
      '8',
      '--runs',
      runs,
      '--name',
      'cmp',
    );
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /16 training and 4 test images at 32×32/); // 20% held out
    assert.match(r.stdout, /fine-tuned MobileNetV2: test accuracy (0|1)\.\d{4}/);
    assert.match(r.stdout, /from scratch: +test accuracy (0|1)\.\d{4}/);
    for (const f of [
      'comparison.png',
      'comparison.json',
      'finetuned/metrics.json',
      'scratch/confusion-matrix.png',
    ]) {
      assert.ok(existsSync(join(runs, 'cmp', f)), f);
    }
    const c = JSON.parse(readFileSync(join(runs, 'cmp', 'comparison.json'), 'utf8'));
    assert.deepEqual([c.settings.inputSize, c.finetuned.epochs.length, c.scratch.epochs.length], [32, 9, 9]);
    // Red vs blue squares are separable from the pretrained features: training the new head on the
    // frozen backbone gets every held-out image right (from epoch 5 on, seed 42). The full phase
    // is not checked: batch norm on batches of 8 near-uniform images is not a meaningful test.
    const head = c.finetuned.epochs.filter((e: { phase: string }) => e.phase === 'head');
    assert.equal(head.length, 8);
    assert.equal(
      head.at(-1).val_accuracy,
      1,
      JSON.stringify(head.map((e: { val_accuracy: number }) => e.val_accuracy)),
    );
    assert.ok(head.at(-1).val_loss < head[0].val_loss, 'the head phase lowers the held-out loss');
  });

  it('fine-tunes on a folder at a small input size and saves the model', () => {
    const runs = join(tmp, 'runs');
    const r = vision(
      'finetune',
      '--data',
      join(tmp, 'data'),
      '--resize',
      '64',
      '--head-epochs',
      '1',
      '--epochs',
      '1',
      '--batch',
      '8',
      '--runs',
      runs,
      '--name',
      'ft',
    );
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /fine-tuned MobileNetV2: test accuracy (0|1)\.\d{4}/);
    const model = JSON.parse(readFileSync(join(runs, 'ft', 'model', 'model.json'), 'utf8'));
    assert.deepEqual(model.modelTopology.config.layers[0].config.batch_input_shape, [null, 64, 64, 3]);
    assert.deepEqual(model.userDefinedMetadata.classNames, ['blue', 'red']);
    assert.ok(existsSync(join(runs, 'ft', 'head', 'history.jsonl')));
    const p = vision('predict', join(tmp, 'data', 'red', '3.png'), '--runs', runs, '--name', 'ft', '-k', '2');
    assert.equal(p.status, 0, p.stderr);
    assert.match(p.stdout, /3\.png: (red|blue) [01]\.\d{3}, (red|blue) [01]\.\d{3}\n$/); // names, not 0 and 1
  });

  it('rejects input sizes MobileNetV2 cannot pool and a missing --data', () => {
    const bad = vision('finetune', '--data', join(tmp, 'data'), '--resize', '100');
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /inputSize 100 is not supported; expected a multiple of 32 .*--resize/);
    const none = vision('finetune');
    assert.equal(none.status, 2);
    assert.match(none.stderr, /--data FOLDER\|MANIFEST is required without --compare/);
  });
});
