/** End to end: the demo CLI, as a user runs it, on a small slice of Fashion-MNIST. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';

const root = new URL('..', import.meta.url).pathname;
const out = mkdtempSync(join(tmpdir(), 'dlpipe-demo-'));
after(() => rmSync(out, { recursive: true, force: true }));

it('dlpipe-demo trains, reports and writes metrics.json, PNGs and the model', () => {
  const r = spawnSync(
    process.execPath,
    [
      join(root, 'apps/demo/bin/dlpipe-demo.mjs'),
      '--steps',
      'train',
      '--model',
      'mlp',
      '--limit',
      '3000',
      '--epochs',
      '2',
      '--out',
      out,
    ],
    { encoding: 'utf8', env: { ...process.env, DLPIPE_QUIET: '1' }, timeout: 240_000 },
  );
  assert.equal(r.status, 0, r.stderr);
  assert.match(
    r.stdout,
    /MLP test accuracy 0\.\d{4}, macro F1 0\.\d{4} \(backend (wasm|cpu|tensorflow|native)/,
  );
  const run = join(out, 'train');
  const metrics = JSON.parse(readFileSync(join(run, 'metrics.json'), 'utf8'));
  assert.equal(metrics.settings.trainExamples, 3000);
  assert.equal(
    metrics.test.confusionMatrix.flat().reduce((a: number, b: number) => a + b, 0),
    10000,
  );
  assert.ok(metrics.test.accuracy > 0.55, `accuracy ${metrics.test.accuracy} after 2 epochs on 3,000 images`);
  for (const f of ['curves.png', 'confusion-matrix.png', 'history.jsonl', 'model/model.json']) {
    assert.ok(existsSync(join(run, f)), f);
  }
  const png = readFileSync(join(run, 'curves.png'));
  assert.equal(png.subarray(1, 4).toString(), 'PNG');
});

it('bad options are a one-line error with usage, not a stack', () => {
  const r = spawnSync(process.execPath, [join(root, 'apps/demo/bin/dlpipe-demo.mjs'), '--epochs', 'zero'], {
    encoding: 'utf8',
  });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /dlpipe-demo: --epochs: .*\nusage: dlpipe-demo/);
  assert.doesNotMatch(r.stderr, /at .*\.ts:\d+/);
});

it('the full demo: crawl, self-train, LeNet (small), each step writing its outputs', () => {
  const all = join(out, 'all');
  const r = spawnSync(
    process.execPath,
    [join(root, 'apps/demo/bin/dlpipe-demo.mjs'), '--epochs', '1', '--limit', '2000', '--out', all],
    { encoding: 'utf8', env: { ...process.env, DLPIPE_QUIET: '1' }, timeout: 300_000 },
  );
  assert.equal(r.status, 0, r.stderr);
  assert.match(
    r.stdout,
    /crawled \d+ pages \(1 left out by robots\.txt, 0 failed\): \d+ records, \d+ images/,
  );
  assert.match(r.stdout, /holdout accuracy 0\.\d{4} labeled-only → 0\.\d{4} self-trained/);
  assert.match(r.stdout, /LeNet test accuracy 0\.\d{4}/);
  for (const f of ['label/self-training.png', 'train/metrics.json', 'train/confusion-matrix.png']) {
    assert.ok(existsSync(join(all, f)), f);
  }
});
