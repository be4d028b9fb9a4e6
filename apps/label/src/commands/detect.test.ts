/**
 * `pnpm label detect` and `pnpm label export-boxes` end to end: CenterNet's boxes on two Debian
 * photos into a SQLite store, a rerun through a scraper-style manifest that adds nothing, boxes
 * accepted through the store, the exported set read back by vision's `loadDetectionSet`, and bad
 * input as one line with exit 2 and the store left alone.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openLabelStore } from '@dlpipe/label';
import { loadDetectionSet } from '@dlpipe/vision';

const DOG = '/usr/share/darknet/data/dog.jpg';
const MESSI = '/usr/share/doc/opencv-doc/examples/data/messi5.jpg';
const missing = ![DOG, MESSI].every(existsSync) && 'apt-get install -y darknet opencv-doc';
const bin = new URL('../../bin/dlpipe-label.mjs', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'dlpipe-label-detect-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const photos = join(tmp, 'photos');
const store = join(tmp, 'labels.sqlite');
const label = (...args: string[]) =>
  spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    env: { ...process.env, DLPIPE_QUIET: '1' },
  });
const json = (r: ReturnType<typeof label>) => {
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
};

before(() => {
  if (missing) return;
  mkdirSync(join(photos, 'sub'), { recursive: true });
  copyFileSync(DOG, join(photos, 'dog.jpg'));
  copyFileSync(MESSI, join(photos, 'sub', 'messi5.jpg'));
});

describe('pnpm label detect → export-boxes', { skip: missing }, () => {
  it('stores pending pseudo-boxes per class; a rerun from a manifest adds none', () => {
    const r = json(label('detect', '--images', photos, '--store', store, '--min-score', '0.3', '--json'));
    assert.equal(r.images, 2);
    for (const c of ['dog', 'bicycle', 'truck', 'person', 'sports ball']) assert.ok(r.byClass[c] >= 1, c);
    assert.equal(r.added, r.boxes);
    const manifest = join(photos, 'manifest.jsonl');
    writeFileSync(manifest, '{"file":"dog.jpg","src":"https://x/dog.jpg"}\n{"file":"logo.svg"}\n');
    const again = json(label('detect', '--images', manifest, '--store', store, '--classes', 'dog', '--json'));
    assert.deepEqual([again.images, again.skipped.length, again.added, again.alreadyStored], [1, 1, 0, 1]);
    assert.deepEqual(again.byClass, { dog: 1 });
  });

  it('exports the accepted boxes as a set loadDetectionSet reads back', () => {
    const s = openLabelStore(store);
    const boxes = s.boxes({ status: 'pending' });
    assert.ok(boxes.every((b) => b.source === 'pseudo' && b.model?.startsWith('centernet')));
    const keep = boxes.filter((b) => ['dog', 'bicycle', 'person'].includes(b.label));
    s.setBoxStatus(
      keep.map((b) => b.id),
      'accepted',
    );
    s.close();
    const out = join(tmp, 'set');
    const r = json(label('export-boxes', '--store', store, '--out', out, '--json'));
    assert.deepEqual(r.classNames, ['bicycle', 'dog', 'person']);
    assert.equal(r.train.boxes + r.val.boxes, keep.length);
    const loaded = [...loadDetectionSet(out, 'train').images, ...loadDetectionSet(out, 'val').images];
    const key = (c: number, b: { x1: number; y1: number; x2: number; y2: number }) =>
      [c, ...[b.x1, b.y1, b.x2, b.y2].map((v) => Math.round(v * 100) / 100)].join(); // COCO stores x, w: 1e-4 apart
    const got = loaded.flatMap((im) => im.boxes.map((b) => key(b.classId, b)));
    const want = keep.map((b) =>
      [['bicycle', 'dog', 'person'].indexOf(b.label), b.x1, b.y1, b.x2, b.y2].join(),
    );
    assert.deepEqual(got.sort(), want.sort());
    assert.ok(loaded.some((im) => im.width === 768 && im.height === 576));
    const empty = label('export-boxes', '--store', store, '--out', join(tmp, 'none'), '--status', 'rejected');
    assert.equal(empty.status, 2);
    assert.match(empty.stderr, /no rejected boxes to export/);
  });

  it('refuses an undecodable image and an unknown class in one line, exit 2, store untouched', () => {
    const bad = join(tmp, 'bad');
    mkdirSync(bad);
    copyFileSync(DOG, join(bad, 'ok.jpg'));
    writeFileSync(join(bad, 'cut.jpg'), 'not a jpeg');
    const fresh = join(tmp, 'fresh', 'labels.sqlite');
    mkdirSync(join(tmp, 'fresh'));
    for (const [args, re] of [
      [['--images', bad], /cut\.jpg: not a supported image/],
      [['--images', photos, '--classes', 'dog,dogg'], /unknown COCO class 'dogg' \(did you mean 'dog'/],
    ] as const) {
      const r = label('detect', ...args, '--store', fresh);
      assert.equal(r.status, 2, r.stderr);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.match(r.stderr, re);
      assert.deepEqual(readdirSync(join(tmp, 'fresh')), [], 'no store was made');
    }
  });
});
