/**
 * `pnpm vision convert`: COCO → YOLO → VOC on disk, --json's report, and bad input as one line
 * with exit 2 and nothing written.
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
import { after, before, describe, it } from 'node:test';
import { tf } from '@dlpipe/tensor';
import { encodeImage } from '@dlpipe/vision';

const bin = new URL('../../bin/dlpipe-vision.mjs', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'dlpipe-vision-convert-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const vision = (...args: string[]) =>
  spawnSync(process.execPath, [bin, 'convert', ...args], {
    encoding: 'utf8',
    env: { ...process.env, DLPIPE_QUIET: '1' },
  });

before(async () => {
  mkdirSync(join(tmp, 'coco', 'images'), { recursive: true });
  const img = tf.zeros([20, 40, 3], 'int32') as tf.Tensor3D;
  writeFileSync(join(tmp, 'coco', 'images', 'a.png'), await encodeImage(img));
  img.dispose();
  const ann = (id: number, bbox: number[], iscrowd = 0) => ({
    id,
    image_id: 1,
    category_id: 1,
    bbox,
    area: 1,
    iscrowd,
  });
  writeFileSync(
    join(tmp, 'coco', 'ann.json'),
    JSON.stringify({
      images: [{ id: 1, file_name: 'a.png', width: 40, height: 20 }],
      categories: [{ id: 1, name: 'dot' }],
      annotations: [ann(1, [4, 2, 8, 6]), ann(2, [0, 0, 40, 20], 1)],
    }),
  );
});

describe('vision convert', () => {
  it('converts COCO → YOLO → VOC and reports what it wrote', () => {
    let r = vision(
      '--from',
      'coco',
      '--to',
      'yolo',
      join(tmp, 'coco', 'ann.json'),
      join(tmp, 'yolo'),
      '--json',
    );
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), {
      images: 1,
      boxes: 2,
      skippedCrowd: 1,
      copiedImages: 1,
      out: join(tmp, 'yolo'),
      from: 'coco',
      to: 'yolo',
    });
    assert.equal(readFileSync(join(tmp, 'yolo', 'labels', 'a.txt'), 'utf8'), '0 0.2 0.25 0.2 0.3\n');
    r = vision('--from', 'yolo', '--to', 'voc', join(tmp, 'yolo'), join(tmp, 'voc'));
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /1 images, 1 boxes \(voc\)/);
    assert.match(
      readFileSync(join(tmp, 'voc', 'Annotations', 'a.xml'), 'utf8'),
      /<xmin>5<\/xmin>\s*<ymin>3<\/ymin>\s*<xmax>12<\/xmax>/,
    );
  });

  it('bad input: one line naming the file, exit 2, nothing written', () => {
    const bad = join(tmp, 'bad');
    mkdirSync(join(bad, 'images'), { recursive: true });
    writeFileSync(join(bad, 'classes.txt'), 'dot\n');
    const r = vision('--from', 'yolo', '--to', 'coco', bad, join(tmp, 'out', 'x.json'));
    assert.equal(r.status, 2);
    assert.match(r.stderr, /out: does not exist|its folder .*out does not exist/);
    mkdirSync(join(tmp, 'out'));
    mkdirSync(join(bad, 'labels'));
    writeFileSync(join(bad, 'labels', 'ghost.txt'), '0 0.5 0.5 0.1\n');
    const r2 = vision('--from', 'yolo', '--to', 'coco', bad, join(tmp, 'out', 'x.json'));
    assert.equal(r2.status, 2);
    assert.equal(r2.stderr.trim().split('\n').length, 1);
    assert.match(r2.stderr, /labels\/ghost\.txt: missing image file/);
    assert.deepEqual(readdirSync(join(tmp, 'out')), []);
    const r3 = vision('--from', 'xml', '--to', 'coco', bad, join(tmp, 'out', 'x.json'));
    assert.equal(r3.status, 2);
    assert.match(r3.stderr, /--from/);
    assert.ok(!existsSync(join(tmp, 'out', 'x.json')));
  });
});
