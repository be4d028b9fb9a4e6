/**
 * `pnpm vision map`: the 12 numbers of pycocotools' COCOeval under --json (the fixture and its
 * numbers are packages/vision/src/detection/eval's), one-line errors with exit 2 for bad input.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

const bin = new URL('../../bin/dlpipe-vision.mjs', import.meta.url).pathname;
const fixtures = new URL('../../../../packages/vision/src/detection/eval/fixtures/', import.meta.url)
  .pathname;
const tmp = mkdtempSync(join(tmpdir(), 'dlpipe-vision-map-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const vision = (...args: string[]) =>
  spawnSync(process.execPath, [bin, 'map', ...args], {
    encoding: 'utf8',
    env: { ...process.env, DLPIPE_QUIET: '1' },
  });

describe('vision map', () => {
  it('prints the 12 COCO numbers as JSON, equal to pycocotools', () => {
    const r = vision(
      '--gt',
      `${fixtures}hand-crowd.gt.json`,
      '--pred',
      `${fixtures}hand-crowd.dt.json`,
      '--json',
    );
    assert.equal(r.status, 0, r.stderr);
    const stats = JSON.parse(r.stdout) as Record<string, number>;
    // pycocotools 2.0.11 on the same files (coco-eval.reference.py)
    const ref = {
      AP: 0.4792079207920792,
      AP50: 0.5140264026402639,
      AP75: 0.5140264026402639,
      APs: 1.0,
      APm: 0.5257425742574257,
      APl: -1,
      AR1: 0.16666666666666666,
      AR10: 0.6333333333333333,
      AR100: 0.6333333333333333,
      ARs: 1.0,
      ARm: 0.6,
      ARl: -1,
    };
    assert.deepEqual(Object.keys(stats), Object.keys(ref));
    for (const [k, v] of Object.entries(ref))
      assert.ok(Math.abs(stats[k]! - v) < 1e-9, `${k}: ${stats[k]} vs ${v}`);
  });

  it('prints the summary as pycocotools does, and per class on request', () => {
    const r = vision(
      '--gt',
      `${fixtures}hand-basic.gt.json`,
      '--pred',
      `${fixtures}hand-basic.dt.json`,
      '--per-class',
    );
    assert.equal(r.status, 0, r.stderr);
    assert.match(
      r.stdout,
      /^ Average Precision {2}\(AP\) @\[ IoU=0\.50:0\.95 \| area= {3}all \| maxDets=100 \] = 0\.394$/m,
    );
    assert.match(r.stdout, /^c2 +1 +0\.300 +0\.500 +0\.600$/m);
  });

  it('reports every problem of both files on one line, exit 2', () => {
    const gt = join(tmp, 'gt.json');
    const pred = join(tmp, 'pred.json');
    writeFileSync(
      gt,
      JSON.stringify({
        images: [{ id: 1 }],
        categories: [],
        annotations: [{ id: 1, image_id: 2, category_id: 1, bbox: [0, 0, -1, 2] }],
      }),
    );
    writeFileSync(pred, '[{"image_id": 1,\n "score": }]');
    const r = vision('--gt', gt, '--pred', pred);
    assert.equal(r.status, 2);
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0]!, /4 problems/);
    assert.match(lines[0]!, /annotations\.0\.image_id: 2 is not the id of an image/);
    assert.match(lines[0]!, /annotations\.0\.bbox: negative width or height/);
    assert.match(lines[0]!, /pred\.json:2: malformed JSON/);
  });

  it('names a missing file and detections on unknown images', () => {
    let r = vision('--gt', join(tmp, 'nope.json'), '--pred', `${fixtures}hand-basic.dt.json`);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /nope\.json: no such file \(the --gt file\)/);
    const pred = join(tmp, 'foreign.json');
    writeFileSync(pred, JSON.stringify([{ image_id: 9, category_id: 1, bbox: [0, 0, 1, 1], score: 1 }]));
    r = vision('--gt', `${fixtures}hand-basic.gt.json`, '--pred', pred);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /not in the ground truth \(9\)/);
  });
});
