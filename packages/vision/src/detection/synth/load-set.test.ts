import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Rng } from '@dlpipe/core';
import { tf } from '@dlpipe/tensor';
import { DatasetError } from '../../errors.js';
import { decodeImage } from '../../image/decode.js';
import { detectionDataSource, detectionTensors, loadDataBananas, loadDetectionSet } from './load-set.js';
import { generateDetectionSet } from './write-set.js';

const tmp = mkdtempSync(join(tmpdir(), 'dlpipe-synth-load-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

before(async () => {
  await tf.setBackend('cpu');
  const o = { out: tmp, imageSize: 64, backgrounds: 'npm' as const };
  await generateDetectionSet({ ...o, name: 'emoji-10', trainSize: 5, valSize: 3 });
  await generateDetectionSet({ ...o, name: 'bananas', trainSize: 6, valSize: 2 });
});

describe('loadDetectionSet and tensors', () => {
  it('reads the COCO file back as corner boxes with classes from 0', () => {
    const set = loadDetectionSet(join(tmp, 'emoji-10'), 'train');
    assert.equal(set.classNames.length, 10);
    assert.equal(set.classNames[0], 'banana');
    assert.equal(set.images.length, 5);
    const coco = JSON.parse(readFileSync(join(tmp, 'emoji-10', 'annotations', 'train.json'), 'utf8'));
    const first = coco.annotations[0];
    const im = set.images[first.image_id - 1]!;
    const [x, y, w, h] = first.bbox;
    assert.deepEqual(im.boxes[0], { x1: x, y1: y, x2: x + w, y2: y + h, classId: first.category_id - 1 });
    assert.match(im.file, /emoji-10\/images\/train\/00000\d\.jpg$/);
  });

  it("gives d2l's tensors: images in [0, 1], labels (class, corners / size) padded with -1", async () => {
    const set = loadDetectionSet(join(tmp, 'emoji-10'), 'val');
    const m = Math.max(...set.images.map((im) => im.boxes.length));
    const { images, labels } = await detectionTensors(set);
    assert.deepEqual(images.shape, [3, 64, 64, 3]);
    assert.deepEqual(labels.shape, [3, m, 5]);
    const px = await decodeImage(set.images[1]!.file);
    const x = images.slice([1, 0, 0, 0], [1, 1, 1, 3]).dataSync();
    assert.deepEqual(
      Array.from(x, (v) => Math.round(v * 255)),
      Array.from(px.data.subarray(0, 3)),
    );
    const l = labels.arraySync();
    set.images.forEach((im, i) => {
      im.boxes.forEach((b, j) => {
        const want = [b.classId, b.x1 / 64, b.y1 / 64, b.x2 / 64, b.y2 / 64];
        l[i]![j]!.forEach((v, k) => {
          assert.ok(Math.abs(v - want[k]!) < 1e-6);
        });
      });
      for (let j = im.boxes.length; j < m; j++) assert.deepEqual(l[i]![j], [-1, -1, -1, -1, -1]);
    });
    tf.dispose([images, labels]);
    await assert.rejects(detectionTensors(set, { maxObjects: 1 }), /raise maxObjects/);
  });

  it('streams the same values in shuffled mini-batches without leaking tensors', async () => {
    const set = loadDetectionSet(join(tmp, 'emoji-10'), 'train');
    const full = await detectionTensors(set);
    const src = await detectionDataSource(set, { batchSize: 2, shuffle: true });
    assert.equal(src.length, 3);
    const before = tf.memory().numTensors;
    const order = new Rng(3).permutation(5);
    let seen = 0;
    for (const b of src.batches(0, new Rng(3))) {
      const idx = tf.tensor1d(order.subarray(seen, seen + b.y.shape[0]!), 'int32');
      const wantX = tf.gather(full.images, idx);
      const wantY = tf.gather(full.labels, idx);
      assert.deepEqual((b.x as tf.Tensor).dataSync(), wantX.dataSync());
      assert.deepEqual(b.y.dataSync(), wantY.dataSync());
      seen += b.y.shape[0]!;
      tf.dispose([b.x as tf.Tensor, b.y, idx, wantX, wantY]);
    }
    assert.equal(seen, 5);
    assert.equal(tf.memory().numTensors, before);
    tf.dispose([full.images, full.labels]);
  });

  it('loadDataBananas loads an existing banana set: one label row per image', async () => {
    const { train, val, classNames } = await loadDataBananas(4, { dir: tmp });
    assert.deepEqual(classNames, ['banana']);
    assert.deepEqual([train.length, val.length], [2, 1]);
    for (const b of val.batches(0, new Rng(0))) {
      assert.deepEqual(
        [(b.x as tf.Tensor).shape, b.y.shape],
        [
          [2, 64, 64, 3],
          [2, 1, 5],
        ],
      );
      assert.deepEqual(
        Array.from(b.y.dataSync()).filter((_, i) => i % 5 === 0),
        [0, 0],
      );
      tf.dispose([b.x as tf.Tensor, b.y]);
    }
  });

  it('says what is missing or malformed', () => {
    assert.throws(
      () => loadDetectionSet(join(tmp, 'nothing'), 'train'),
      (e: Error) =>
        e instanceof DatasetError &&
        /missing: expected a set written by generateDetectionSet/.test(e.message),
    );
    writeFileSync(
      join(tmp, 'bananas', 'annotations', 'val.json'),
      '{"images": [], "annotations": [], "categories": []}',
    );
    assert.throws(() => loadDetectionSet(join(tmp, 'bananas'), 'val'), /categories/);
  });
});
