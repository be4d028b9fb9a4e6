/**
 * Round trips between the formats (COCO → YOLO → COCO equal up to YOLO's 6 decimals; COCO → VOC →
 * COCO exact for VOC's pixel grid), sizes read from images, outputs left untouched on failure.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { AnnotationError } from './annotation-error.js';
import { detectionSetToCoco } from './coco-json.js';
import { convertDetections, readDetections } from './convert-detections.js';
import type { DetectionSet } from './detection-set.js';

const tmp = mkdtempSync(join(tmpdir(), 'dlpipe-detection-formats-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

async function png(path: string, width: number, height: number): Promise<void> {
  mkdirSync(join(path, '..'), { recursive: true });
  await sharp({ create: { width, height, channels: 3, background: { r: 9, g: 99, b: 199 } } })
    .png()
    .toFile(path);
}

/** Three images (one in a subfolder, one without boxes), two classes, fractional and edge boxes. */
const coco = {
  images: [
    { id: 10, file_name: 'a.png', width: 64, height: 48 },
    { id: 11, file_name: 'sub/b.png', width: 40, height: 30 },
    { id: 12, file_name: 'c.png', width: 20, height: 20 },
  ],
  categories: [
    { id: 3, name: 'banana' },
    { id: 7, name: 'apple & pear' },
  ],
  annotations: [
    { id: 1, image_id: 10, category_id: 3, bbox: [0, 0, 64, 48], area: 3072, iscrowd: 0 },
    { id: 2, image_id: 10, category_id: 7, bbox: [10.25, 5.5, 20.125, 11.75], area: 200, iscrowd: 0 },
    { id: 3, image_id: 11, category_id: 7, bbox: [1, 2, 3, 4], area: 12, iscrowd: 0 },
  ],
};

before(async () => {
  mkdirSync(join(tmp, 'coco', 'images'), { recursive: true });
  for (const im of coco.images) await png(join(tmp, 'coco', 'images', im.file_name), im.width, im.height);
  writeFileSync(join(tmp, 'coco', 'ann.json'), JSON.stringify(coco));
});

/** Boxes of a set by image file (sorted by file), rounded to `digits`. */
function boxesOf(set: DetectionSet, digits: number) {
  const r = (v: number) => Math.round(v * 10 ** digits) / 10 ** digits;
  const images = [...set.images].sort((a, b) => (a.file < b.file ? -1 : 1));
  return images.map((im) => ({
    file: im.file,
    size: [im.width, im.height],
    boxes: im.boxes.map((b) => [b.classId, r(b.x1), r(b.y1), r(b.x2), r(b.y2)]),
  }));
}

describe('convertDetections', () => {
  it('COCO → YOLO → COCO keeps images, classes and boxes (to YOLO rounding)', async () => {
    const start = await readDetections('coco', join(tmp, 'coco', 'ann.json'));
    assert.deepEqual(start.classNames, ['banana', 'apple & pear']);
    assert.deepEqual(start.images[0]!.boxes[1], { x1: 10.25, y1: 5.5, x2: 30.375, y2: 17.25, classId: 1 });
    const r = await convertDetections({
      from: 'coco',
      to: 'yolo',
      input: join(tmp, 'coco', 'ann.json'),
      output: join(tmp, 'yolo'),
    });
    assert.deepEqual(r, { images: 3, boxes: 3, skippedCrowd: 0, copiedImages: 3 });
    assert.equal(
      readFileSync(join(tmp, 'yolo', 'labels', 'sub', 'b.txt'), 'utf8'),
      '1 0.0625 0.133333 0.075 0.133333\n',
    );
    assert.equal(readFileSync(join(tmp, 'yolo', 'labels', 'c.txt'), 'utf8'), '');
    assert.equal(readFileSync(join(tmp, 'yolo', 'classes.txt'), 'utf8'), 'banana\napple & pear\n');
    await convertDetections({
      from: 'yolo',
      to: 'coco',
      input: join(tmp, 'yolo'),
      output: join(tmp, 'back.json'),
    });
    const back = await readDetections('coco', join(tmp, 'back.json'), {
      imagesDir: join(tmp, 'yolo', 'images'),
    });
    assert.deepEqual(back.classNames, start.classNames);
    assert.deepEqual(boxesOf(back, 3), boxesOf(start, 3)); // 6 normalized decimals: < 1e-4 px here
    const json = JSON.parse(readFileSync(join(tmp, 'back.json'), 'utf8'));
    assert.deepEqual(json.categories, [
      { id: 1, name: 'banana' },
      { id: 2, name: 'apple & pear' },
    ]);
    assert.equal(json.annotations[2].area, json.annotations[2].bbox[2] * json.annotations[2].bbox[3]);
  });

  it('reads data.yaml names when there is no classes.txt', async () => {
    rmSync(join(tmp, 'yolo', 'classes.txt'));
    const set = await readDetections('yolo', join(tmp, 'yolo'));
    assert.deepEqual(set.classNames, ['banana', 'apple & pear']);
  });

  it('COCO → VOC → COCO is exact on the pixel grid; VOC corners are xmin − 1, xmax', async () => {
    await convertDetections({
      from: 'coco',
      to: 'voc',
      input: join(tmp, 'coco', 'ann.json'),
      output: join(tmp, 'voc'),
    });
    const xml = readFileSync(join(tmp, 'voc', 'Annotations', 'sub_b.xml'), 'utf8');
    assert.match(xml, /<xmin>2<\/xmin>\s*<ymin>3<\/ymin>\s*<xmax>4<\/xmax>\s*<ymax>6<\/ymax>/);
    assert.match(
      readFileSync(join(tmp, 'voc', 'Annotations', 'a.xml'), 'utf8'),
      /<name>apple &amp; pear<\/name>/,
    );
    assert.ok(existsSync(join(tmp, 'voc', 'JPEGImages', 'sub', 'b.png')));
    const start = await readDetections('coco', join(tmp, 'coco', 'ann.json'));
    const voc = await readDetections('voc', join(tmp, 'voc'), { classNames: start.classNames });
    assert.deepEqual(boxesOf(voc, 3), boxesOf(start, 3));
    const sorted = await readDetections('voc', join(tmp, 'voc')); // classes sorted by name by default
    assert.deepEqual(sorted.classNames, ['apple & pear', 'banana']);
    assert.deepEqual(
      detectionSetToCoco(voc).annotations.map((a) => a.bbox),
      coco.annotations.map((a) => a.bbox),
    );
  });

  it('reads a VOC size from the image when the XML has none', async () => {
    const dir = join(tmp, 'voc-nosize');
    mkdirSync(join(dir, 'Annotations'), { recursive: true });
    await png(join(dir, 'JPEGImages', 'x.png'), 33, 21);
    writeFileSync(
      join(dir, 'Annotations', 'x.xml'),
      '<?xml version="1.0"?>\n<!-- no size -->\n<annotation><filename>x.png</filename>' +
        '<object><name>dog</name><difficult>1</difficult><bndbox><xmin>1</xmin><ymin>1</ymin><xmax>33</xmax><ymax>21</ymax></bndbox></object></annotation>',
    );
    const set = await readDetections('voc', dir);
    assert.deepEqual(set.images[0]!.boxes[0], { x1: 0, y1: 0, x2: 33, y2: 21, classId: 0, difficult: true });
    assert.deepEqual([set.images[0]!.width, set.images[0]!.height], [33, 21]);
  });

  it('YOLO leaves crowd boxes out and says so', async () => {
    const crowd = {
      ...coco,
      annotations: [
        ...coco.annotations,
        { id: 9, image_id: 12, category_id: 3, bbox: [0, 0, 5, 5], area: 25, iscrowd: 1 },
      ],
    };
    writeFileSync(join(tmp, 'coco', 'crowd.json'), JSON.stringify(crowd));
    const r = await convertDetections({
      from: 'coco',
      to: 'yolo',
      input: join(tmp, 'coco', 'crowd.json'),
      output: join(tmp, 'yolo-crowd'),
      copyImages: false,
    });
    assert.equal(r.skippedCrowd, 1);
    assert.equal(r.copiedImages, 0);
    assert.equal(readFileSync(join(tmp, 'yolo-crowd', 'labels', 'c.txt'), 'utf8'), '');
  });

  it('writes nothing when an image to copy is missing, and refuses a non-empty output folder', async () => {
    writeFileSync(
      join(tmp, 'coco', 'missing.json'),
      JSON.stringify({
        ...coco,
        images: [...coco.images, { id: 13, file_name: 'gone.png', width: 5, height: 5 }],
      }),
    );
    const out = join(tmp, 'never');
    await assert.rejects(
      convertDetections({ from: 'coco', to: 'yolo', input: join(tmp, 'coco', 'missing.json'), output: out }),
      (e: unknown) => e instanceof AnnotationError && /gone\.png: missing image file/.test(e.message),
    );
    assert.ok(!existsSync(out));
    assert.ok(!existsSync(`${out}.tmp-${process.pid}`));
    await assert.rejects(
      convertDetections({
        from: 'coco',
        to: 'voc',
        input: join(tmp, 'coco', 'ann.json'),
        output: join(tmp, 'voc'),
      }),
      /is not empty/,
    );
  });
});
