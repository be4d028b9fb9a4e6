/**
 * `pnpm vision train --model tinyssd|yolo`, `vision detect` and `vision val` end to end on tiny
 * generated sets (bananas: 40 images of 64², one epoch; emoji-10: 20 images, two epochs): the run has the classification layout plus
 * detections.png, detect's JSON has one record per drawn box and one PNG per image at the
 * original size, val's numbers equal `cocoEvaluate` on the COCO files it writes; and bad input
 * (missing or classifier run, unknown set, undecodable image, a file as --out) is one line, exit 2,
 * nothing written.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it, type TestContext } from 'node:test';
import { dispatchCommand } from '@dlpipe/core';
import { cocoEvaluate, generateDetectionSet, imageSize } from '@dlpipe/vision';
import { detect } from './detect.js';
import { val } from './val.js';

const bin = new URL('../../bin/dlpipe-vision.mjs', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'dlpipe-vision-detect-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const vision = (...args: string[]) =>
  spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    env: { ...process.env, DLPIPE_QUIET: '1' },
  });
const set = join(tmp, 'sets', 'bananas');
const run = join(tmp, 'runs', 'ssd');

before(async () => {
  await generateDetectionSet({
    name: 'bananas',
    out: join(tmp, 'sets'),
    trainSize: 32,
    valSize: 8,
    imageSize: 64,
    backgrounds: 'npm',
  });
});

describe('vision train --model tinyssd, detect, val', () => {
  it('trains a detector into the runs/ layout', () => {
    const r = vision(
      'train',
      ...['--model', 'tinyssd', '--data', set, '--image-size', '64', '--epochs', '1', '--batch', '16'],
      ...['--runs', join(tmp, 'runs'), '--name', 'ssd', '--json'],
    );
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.optimizer.name, 'sgdw'); // d2l's SGD at 0.2 with weight decay 5e-4
    assert.equal(out.optimizer.lr, 0.2);
    for (const f of ['metrics.json', 'curves.png', 'detections.png', 'history.jsonl', 'model/model.json'])
      assert.ok(existsSync(join(run, f)), f);
    const metrics = JSON.parse(readFileSync(join(run, 'metrics.json'), 'utf8'));
    assert.deepEqual(metrics.classNames, ['banana']);
    assert.equal(metrics.val.AP, out.val.AP);
    assert.equal(metrics.settings.imageSize, 64);
    assert.ok(readdirSync(join(run, 'checkpoints')).some((d) => d.startsWith('step-')));
  });

  it('detects: one record per box, one PNG per image at its own size', async () => {
    const out = join(tmp, 'detect');
    const r = vision(
      'detect',
      join(set, 'images', 'val'),
      '--model',
      run,
      '--out',
      out,
      '--score',
      '0.2',
      '--json',
    );
    assert.equal(r.status, 0, r.stderr);
    const records = JSON.parse(r.stdout) as {
      file: string;
      bbox: number[];
      score: number;
      className: string;
    }[];
    assert.deepEqual(JSON.parse(readFileSync(join(out, 'detections.json'), 'utf8')), records);
    const pngs = readdirSync(out).filter((f) => f.endsWith('.png'));
    assert.equal(pngs.length, 8);
    for (const d of records) {
      assert.ok(pngs.includes(d.file.replace(/\.jpg$/, '.png')), d.file);
      assert.ok(d.score >= 0.2 && d.className === 'banana');
      assert.ok(d.bbox[0]! >= 0 && d.bbox[0]! + d.bbox[2]! <= 64 + 1e-6);
    }
    assert.deepEqual(await imageSize(join(out, pngs[0]!)), { width: 64, height: 64 });
  });

  it('val equals cocoEvaluate on the files it writes, with PR curves', () => {
    const out = join(tmp, 'val');
    const r = vision('val', '--model', run, '--data', set, '--out', out, '--json');
    assert.equal(r.status, 0, r.stderr);
    const stats = JSON.parse(r.stdout);
    const gt = JSON.parse(readFileSync(join(out, 'ground-truth.json'), 'utf8'));
    const dets = JSON.parse(readFileSync(join(out, 'detections.json'), 'utf8'));
    const ref = cocoEvaluate(gt, dets).stats;
    for (const [k, v] of Object.entries(ref)) assert.equal(stats[k], v, k);
    assert.equal(stats.perClass[0].name, 'banana');
    assert.ok(existsSync(join(out, 'pr-curves.png')));
  });
});

describe('vision train --model yolo, detect, val', () => {
  const emoji = join(tmp, 'sets', 'emoji-10');
  const yoloRun = join(tmp, 'runs', 'yolo');
  before(async () => {
    await generateDetectionSet({
      name: 'emoji-10',
      out: join(tmp, 'sets'),
      trainSize: 16,
      valSize: 4,
      imageSize: 64,
      backgrounds: 'npm',
    });
  });

  it("trains with YOLO's defaults (AdamW, warm-up + cosine, flips), then detects and validates", () => {
    const r = vision(
      'train',
      ...['--model', 'yolo', '--data', emoji, '--image-size', '64', '--epochs', '2', '--batch', '8'],
      ...['--runs', join(tmp, 'runs'), '--name', 'yolo', '--json'],
    );
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.deepEqual(out.optimizer, { name: 'adamw', lr: 0.002, weightDecay: 5e-4 });
    const metrics = JSON.parse(readFileSync(join(yoloRun, 'metrics.json'), 'utf8'));
    assert.equal(metrics.classNames.length, 10);
    assert.equal(metrics.model.arch, 'yolo');
    assert.equal(metrics.model.config.bnMomentum, 0.1);
    assert.deepEqual(
      [metrics.settings.schedule, metrics.settings.augment, metrics.settings.steps],
      ['cosine', true, 4],
    );
    assert.equal(metrics.history.length, 2);
    for (const f of ['curves.png', 'detections.png', 'history.jsonl', 'model/model.json'])
      assert.ok(existsSync(join(yoloRun, f)), f);

    const d = vision('detect', join(emoji, 'images', 'val'), '--model', yoloRun, '--out', join(tmp, 'yd'));
    assert.equal(d.status, 0, d.stderr);
    assert.equal(readdirSync(join(tmp, 'yd')).filter((f) => f.endsWith('.png')).length, 4);
    const v = vision('val', '--model', yoloRun, '--data', emoji, '--out', join(tmp, 'yv'), '--json');
    assert.equal(v.status, 0, v.stderr);
    const stats = JSON.parse(v.stdout);
    assert.equal(stats.perClass.length, 10);
    const gt = JSON.parse(readFileSync(join(tmp, 'yv', 'ground-truth.json'), 'utf8'));
    const dets = JSON.parse(readFileSync(join(tmp, 'yv', 'detections.json'), 'utf8'));
    assert.equal(stats.AP, cocoEvaluate(gt, dets).stats.AP);
  });
});

/** Runs a command in-process: its exit code and stderr lines. */
async function call(t: TestContext, name: 'detect' | 'val', argv: string[]) {
  const errors: string[] = [];
  t.mock.method(console, 'error', (...a: unknown[]) => errors.push(a.join(' ')));
  const code = await dispatchCommand('vision', { detect, val }, [name, ...argv]);
  t.mock.restoreAll();
  return { code, lines: errors.join('\n').split('\n').filter(Boolean) };
}

describe('bad input: one line, exit 2, nothing written', () => {
  const image = () => join(set, 'images', 'val', '000000.jpg');
  const clf = join(tmp, 'clf');
  const cut = join(tmp, 'bad', 'cut.png');
  before(() => {
    mkdirSync(join(clf, 'model'), { recursive: true });
    writeFileSync(
      join(clf, 'model', 'model.json'),
      JSON.stringify({ modelTopology: { class_name: 'Sequential' } }),
    );
    mkdirSync(join(tmp, 'bad'), { recursive: true });
    writeFileSync(cut, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]));
  });
  const cases: [string, 'detect' | 'val', () => string[], RegExp][] = [
    ['a missing run', 'detect', () => [image(), '--model', join(tmp, 'nope')], /nope: no such run folder/],
    [
      'a classifier run',
      'detect',
      () => [image(), '--model', clf],
      /a Sequential \(a classifier run\?\), not a detector/,
    ],
    ['an undecodable image', 'detect', () => [cut, '--model', run], /cut\.png/],
    ['a file as --out', 'detect', () => [image(), '--model', run, '--out', image()], /000000\.jpg/],
    [
      'an unknown set',
      'val',
      () => ['--model', run, '--data', 'no-such-set'],
      /no-such-set: no such set folder/,
    ],
    ['a classifier run for val', 'val', () => ['--model', clf, '--data', set], /not a detector/],
  ];
  for (const [what, name, argv, message] of cases) {
    it(`${name}: ${what}`, async (t) => {
      const before = readdirSync(tmp).sort();
      const r = await call(t, name, argv());
      assert.equal(r.code, 2);
      assert.equal(r.lines.length, 1, r.lines.join('\n'));
      assert.match(r.lines[0]!, message);
      assert.deepEqual(readdirSync(tmp).sort(), before);
      assert.ok(!existsSync(join(run, 'detect')) && !existsSync(join(clf, 'detect')));
    });
  }
});
