import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PathError } from '@dlpipe/core';
import { tf } from '@dlpipe/tensor';
import { DatasetError } from '../../errors.js';
import { encodeImage } from '../../image/tensor-image.js';
import { loadDetectionSet } from '../synth/load-set.js';
import { listDetectionImages } from './image-inputs.js';
import { splitByHash, writeBoxSet } from './write-box-set.js';

const tmp = mkdtempSync(join(tmpdir(), 'dlpipe-box-set-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const photos = join(tmp, 'photos');

before(async () => {
  mkdirSync(join(photos, 'sub'), { recursive: true });
  const img = tf.zeros([30, 40, 3], 'int32') as tf.Tensor3D;
  const png = await encodeImage(img);
  img.dispose();
  for (const f of ['a.png', 'b.png', 'sub/c.png']) writeFileSync(join(photos, f), png);
  writeFileSync(join(photos, 'notes.txt'), 'not an image');
});

describe('listDetectionImages', () => {
  it('lists a folder recursively, a manifest relative to its folder, or one image', () => {
    assert.deepEqual(
      listDetectionImages(photos).files,
      ['a.png', 'b.png', 'sub/c.png'].map((f) => join(photos, f)),
    );
    const manifest = join(photos, 'manifest.jsonl');
    const rows = [
      { file: 'b.png', src: 'https://x/b.png' },
      { file: 'logo.svg' },
      { file: 'sub/c.png' },
      { file: 'b.png' },
    ];
    writeFileSync(manifest, `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`);
    const m = listDetectionImages(manifest);
    assert.equal(m.kind, 'manifest');
    assert.deepEqual(m.files, [join(photos, 'b.png'), join(photos, 'sub/c.png')]);
    assert.deepEqual(m.skipped, [{ file: join(photos, 'logo.svg'), reason: 'not a raster image (.svg)' }]);
    assert.deepEqual(listDetectionImages(join(photos, 'a.png')).files, [join(photos, 'a.png')]);
  });

  it('names the path, and the manifest line, of what it cannot use', () => {
    const bad = join(photos, 'bad.jsonl');
    writeFileSync(bad, '{"file": "a.png"}\n{"file": "gone.png"}\n');
    assert.throws(
      () => listDetectionImages(bad),
      (e) => e instanceof DatasetError && /bad\.jsonl:2: image .*gone\.png does not exist/.test(e.message),
    );
    writeFileSync(bad, '{"file": "a.png"}\nnot json\n');
    assert.throws(() => listDetectionImages(bad), /bad\.jsonl:2: not a JSON object/);
    assert.throws(() => listDetectionImages(join(tmp, 'nope')), PathError);
    assert.throws(
      () => listDetectionImages(join(photos, 'notes.txt')),
      /not a folder, an image manifest \(\.jsonl\) or an image/,
    );
    mkdirSync(join(tmp, 'empty'));
    assert.throws(() => listDetectionImages(join(tmp, 'empty')), /no images/);
  });
});

describe('writeBoxSet', () => {
  const set = {
    classNames: ['cat', 'dog'],
    images: ['a.png', 'b.png', 'sub/c.png'].map((f, i) => ({
      source: join(photos, f),
      boxes: [{ x1: 1.5, y1: 2, x2: 11.25 + i, y2: 30, classId: i % 2 }],
    })),
  };

  it('writes a set loadDetectionSet reads back box for box, split by path hash', async () => {
    const out = join(tmp, 'set');
    const r = await writeBoxSet(set, { out, valFraction: 0.34 });
    assert.deepEqual(r.counts, { train: { images: 2, boxes: 2 }, val: { images: 1, boxes: 1 } });
    const splits = splitByHash(
      set.images.map((im) => im.source),
      0.34,
    );
    for (const split of ['train', 'val'] as const) {
      const loaded = loadDetectionSet(out, split);
      assert.deepEqual(loaded.classNames, ['cat', 'dog']);
      const want = set.images.filter((_, i) => splits[i] === split);
      assert.equal(loaded.images.length, want.length);
      loaded.images.forEach((im, k) => {
        assert.deepEqual([im.width, im.height], [40, 30]);
        assert.deepEqual(im.boxes, want[k]!.boxes);
        assert.ok(readFileSync(im.file).equals(readFileSync(want[k]!.source)), 'the image is copied');
      });
    }
    assert.match(readFileSync(join(out, 'data.yaml'), 'utf8'), /nc: 2\nnames:\n {2}0: "cat"\n {2}1: "dog"/);
    assert.deepEqual(splitByHash(['x', 'y'], 0.2).sort(), ['train', 'val'], 'at least one val image of two');
    assert.deepEqual(splitByHash(['x'], 0.5), ['train']);
  });

  it('refuses an existing set without overwrite, a file as out, and boxes outside their image', async () => {
    const out = join(tmp, 'set2');
    await writeBoxSet(set, { out });
    await assert.rejects(writeBoxSet(set, { out }), /exists and is not empty; pass --overwrite/);
    await writeBoxSet(set, { out, overwrite: true });
    await assert.rejects(writeBoxSet(set, { out: join(photos, 'a.png') }), /is a file; expected a folder/);
    const outside = {
      ...set,
      images: [{ source: join(photos, 'a.png'), boxes: [{ x1: 0, y1: 0, x2: 41, y2: 5, classId: 0 }] }],
    };
    await assert.rejects(
      writeBoxSet(outside, { out: join(tmp, 'set3') }),
      (e) => e instanceof DatasetError && /does not fit the 40×30 image/.test(e.message),
    );
  });
});
