/**
 * Corrupt or inconsistent annotations are all reported together, each by file and line or field:
 * boxes outside the image, negative sizes, unknown classes, missing images, malformed lines, XML
 * and JSON.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import sharp from 'sharp';
import { AnnotationError, formatProblem } from './annotation-error.js';
import { readDetections } from './convert-detections.js';
import { parseXml } from './xml.js';
import { yamlNames } from './yolo-txt.js';

const tmp = mkdtempSync(join(tmpdir(), 'dlpipe-detection-problems-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

async function problemsOf(p: Promise<unknown>): Promise<string[]> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AnnotationError) return e.problems.map((x) => formatProblem(x));
    throw e;
  }
  assert.fail('expected an AnnotationError');
}

const png = (path: string, w: number, h: number) =>
  sharp({ create: { width: w, height: h, channels: 3, background: { r: 0, g: 0, b: 0 } } })
    .png()
    .toFile(path);

describe('annotation problems', () => {
  it('YOLO: every bad line, unknown class, box outside, label without image, bad image', async () => {
    const d = join(tmp, 'yolo');
    mkdirSync(join(d, 'images'), { recursive: true });
    mkdirSync(join(d, 'labels'), { recursive: true });
    await png(join(d, 'images', 'a.png'), 100, 50);
    writeFileSync(join(d, 'images', 'broken.jpg'), 'not a jpeg');
    writeFileSync(join(d, 'classes.txt'), 'cat\ndog\n');
    writeFileSync(
      join(d, 'labels', 'a.txt'),
      '0 0.5 0.5 0.2 0.2\n7 0.5 0.5 0.1 0.1\n1 0.95 0.5 0.2 0.2\n\n0 0.5 x 0.1 0.1\n1 0.5 0.5 -0.1 0.1\n',
    );
    writeFileSync(join(d, 'labels', 'orphan.txt'), '0 0.5 0.5 0.1 0.1\n');
    const p = await problemsOf(readDetections('yolo', d));
    assert.deepEqual(p.sort(), [
      'images/broken.jpg: not a readable image: Input file contains unsupported image format',
      'labels/a.txt:2: unknown class 7 (2 classes: 0–1)',
      'labels/a.txt:3: box (85, 20, 105, 30) is outside the 100×50 image a.png',
      'labels/a.txt:5: expected \'class cx cy w h\' (5 numbers), received "0 0.5 x 0.1 0.1"',
      'labels/a.txt:6: box (55, 22.5, 45, 27.5): negative width or height',
      'labels/orphan.txt: missing image file: no image under images/ with this name',
    ]);
  });

  it('VOC: malformed XML with its line, missing fields, unknown class, missing image', async () => {
    const d = join(tmp, 'voc');
    mkdirSync(join(d, 'Annotations'), { recursive: true });
    const obj = (name: string, b: string) => `<object><name>${name}</name><bndbox>${b}</bndbox></object>`;
    const box = '<xmin>1</xmin><ymin>1</ymin><xmax>10</xmax><ymax>10</ymax>';
    writeFileSync(
      join(d, 'Annotations', '1.xml'),
      '<annotation>\n<filename>1.jpg</filename>\n<size><width>20</width>\n</annotation>',
    );
    writeFileSync(
      join(d, 'Annotations', '2.xml'),
      `<annotation><filename>2.jpg</filename><size><width>20</width><height>20</height></size>\n${obj('cat', box)}\n${obj('bird', box)}\n${obj('cat', '<xmin>a</xmin><ymin>1</ymin><xmax>30</xmax><ymax>5</ymax>')}</annotation>`,
    );
    writeFileSync(
      join(d, 'Annotations', '3.xml'),
      `<annotation><filename>3.jpg</filename>${obj('cat', box)}</annotation>`,
    );
    const p = await problemsOf(readDetections('voc', d, { classNames: ['cat'] }));
    assert.deepEqual(p, [
      'Annotations/1.xml:4: malformed XML: </annotation> closes <size> (line 3)',
      'Annotations/2.xml:4: object[3].bndbox.xmin: expected a number, received "a"',
      "Annotations/2.xml:3: object[2].bndbox: unknown class 'bird' (classes: cat)",
      'Annotations/3.xml: size: no <size> and missing image file JPEGImages/3.jpg',
    ]);
  });

  it('COCO: fields of the JSON, and boxes outside their image', async () => {
    const f = join(tmp, 'bad.json');
    writeFileSync(
      f,
      JSON.stringify({
        images: [
          { id: 1, file_name: 'a.jpg', width: 10, height: 10 },
          { id: 2, file_name: 'b.jpg' },
        ],
        categories: [{ id: 1, name: 'x' }],
        annotations: [
          { id: 1, image_id: 1, category_id: 1, bbox: [5, 5, 10, 2] },
          { id: 2, image_id: 1, category_id: 2, bbox: [0, 0, 1, 1] },
        ],
      }),
    );
    const p = await problemsOf(readDetections('coco', f));
    assert.deepEqual(p, [`${f}: annotations.1.category_id: 2 is not the id of a category in categories`]);
    writeFileSync(
      f,
      JSON.stringify({
        images: [
          { id: 1, file_name: 'a.jpg', width: 10, height: 10 },
          { id: 2, file_name: 'b.jpg' },
        ],
        categories: [{ id: 1, name: 'x' }],
        annotations: [{ id: 1, image_id: 1, category_id: 1, bbox: [5, 5, 10, 2] }],
      }),
    );
    assert.deepEqual(await problemsOf(readDetections('coco', f)), [
      `${f}: images.1: width and height are required to convert`,
      `${f}: annotations.0: box (5, 5, 15, 7) is outside the 10×10 image a.jpg`,
    ]);
    writeFileSync(f, '{"images": [],\n  "annotations": [}');
    assert.deepEqual(await problemsOf(readDetections('coco', f)), [
      `${f}:2: malformed JSON at column 19, near "}"`,
    ]);
  });

  it('parses XML entities, comments and CDATA; reads data.yaml names in each style', () => {
    const x = parseXml(
      '<?xml version="1.0"?><!-- c --><a k="v">\n<b>x &amp; y &#65;</b><c><![CDATA[<z>]]></c><d/></a>',
    );
    assert.deepEqual(
      x.children.map((c) => [c.name, c.text, c.line]),
      [
        ['b', 'x & y A', 2],
        ['c', '<z>', 2],
        ['d', '', 2],
      ],
    );
    assert.deepEqual(yamlNames('nc: 2\nnames: [\'a b\', "c"]\n'), ['a b', 'c']);
    assert.deepEqual(yamlNames('names:\n  - a\n  - "b"\ntrain: x\n'), ['a', 'b']);
    assert.deepEqual(yamlNames('names:\n  0: person\n  1: bicycle\n'), ['person', 'bicycle']);
  });
});
