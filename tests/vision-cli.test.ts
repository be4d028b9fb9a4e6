import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { tf } from '@dlpipe/tensor';
import { decodeImage, encodeImage } from '@dlpipe/vision';

const root = new URL('..', import.meta.url).pathname;
const bin = join(root, 'apps/vision/bin/dlpipe-vision.mjs');
const tmp = mkdtempSync(join(tmpdir(), 'dlpipe-vision-cli-'));
const vision = (...args: string[]) =>
  spawnSync(process.execPath, [bin, ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, DLPIPE_QUIET: '1' },
    timeout: 240_000,
  });

/** Two classes told apart by brightness: dark squares and bright squares, 16 each. */
before(async () => {
  for (const [cls, base] of [
    ['dark', 20],
    ['bright', 220],
  ] as const) {
    mkdirSync(join(tmp, 'data', cls), { recursive: true });
    for (let i = 0; i < 16; i++) {
      const v = base + i;
      const png = await encodeImage(tf.fill([20, 20, 3], v, 'int32'));
      writeFileSync(join(tmp, 'data', cls, `${i}.png`), png);
    }
  }
});
after(() => rmSync(tmp, { recursive: true, force: true }));

describe('dlpipe-vision', () => {
  it('trains, evaluates and predicts on an ImageFolder, writing the run files', () => {
    const runs = join(tmp, 'runs');
    const common = [
      '--data',
      join(tmp, 'data'),
      '--resize',
      '28',
      '--channels',
      '1',
      '--runs',
      runs,
      '--name',
      'bn',
    ];
    const t = vision(
      'train',
      '--model',
      'lenet-bn',
      '--epochs',
      '8',
      '--batch',
      '8',
      '--lr',
      '0.01',
      '--optimizer',
      'adam',
      ...common,
    );
    assert.equal(t.status, 0, t.stderr);
    assert.match(t.stdout, /lenet-bn on .*data: test accuracy 1\.0000/);
    for (const f of [
      'metrics.json',
      'curves.png',
      'confusion-matrix.png',
      'model/model.json',
      'checkpoints/latest.json',
    ]) {
      assert.ok(existsSync(join(runs, 'bn', f)), f);
    }
    const e = vision('eval', ...common);
    assert.equal(e.status, 0, e.stderr);
    assert.match(e.stdout, /test accuracy 1\.0000/);
    const p = vision('predict', join(tmp, 'data', 'bright', '3.png'), ...common);
    assert.equal(p.status, 0, p.stderr);
    assert.match(p.stdout, /3\.png: bright 0\.\d+, dark 0\.\d+/);
    const j = vision('predict', join(tmp, 'data', 'dark'), ...common, '--top-k', '1', '--json');
    assert.equal(j.status, 0, j.stderr);
    const rows: Array<{ path: string; top: Array<{ className: string; score: number }> }> = JSON.parse(
      j.stdout,
    );
    assert.equal(rows.length, 16);
    assert.ok(
      rows.every((r) => r.top.length === 1 && r.top[0]!.className === 'dark' && r.top[0]!.score > 0.5),
    );
  });

  it('lists models, and reports unknown models and bad options clearly', () => {
    const help = vision('train', '--help');
    assert.equal(help.status, 0);
    assert.match(help.stdout, /--checkpoint-every N +also checkpoint every N steps/);
    const m = vision('models');
    assert.match(m.stdout, /resnet18\s+11178378\s+96×96×1/);
    const bad = vision('train', '--model', 'resnet19', '--data', join(tmp, 'data'));
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /unknown model 'resnet19'; known: mlp, lenet/);
    const opt = vision('train', '--epochs', 'zero');
    assert.equal(opt.status, 2);
    assert.match(opt.stderr, /^dlpipe-vision train: --epochs 'zero': expected a number/);
  });

  it('writes a preview grid of augmented samples', async () => {
    const p = vision(
      'preview',
      '--data',
      join(tmp, 'data'),
      '--resize',
      '32',
      '--count',
      '4',
      '--runs',
      join(tmp, 'runs'),
      '--name',
      'pv',
    );
    assert.equal(p.status, 0, p.stderr);
    const img = await decodeImage(join(tmp, 'runs', 'pv', 'preview.png'));
    assert.deepEqual([img.format, img.width > 64], ['png', true]);
  });
});
