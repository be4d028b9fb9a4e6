import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Rng } from '@dlpipe/core';
import { initBackend, tf } from '@dlpipe/tensor';
import { DatasetError } from '../errors.js';
import { encodeImage } from '../image/tensor-image.js';
import { holdOut, limitSamples, loadClassificationData } from './classification-data.js';
import { readImageSet } from './read-image-set.js';
import type { ImageSet } from './types.js';

const tmp = mkdtempSync(join(tmpdir(), 'dlpipe-vision-data-'));
const root = join(tmp, 'data');

/** 12 "a" images (value 40+i) and 8 "b" images (200+i), 6×6 RGB. */
before(async () => {
  await initBackend();
  for (const [cls, n, base] of [
    ['a', 12, 40],
    ['b', 8, 200],
  ] as const) {
    mkdirSync(join(root, cls), { recursive: true });
    for (let i = 0; i < n; i++) {
      writeFileSync(join(root, cls, `${i}.png`), await encodeImage(tf.fill([6, 6, 3], base + i, 'int32')));
    }
  }
  writeFileSync(join(tmp, 'notes.txt'), 'not an image');
});
after(() => rmSync(tmp, { recursive: true, force: true }));

const counts = (set: ImageSet) => [0, 1].map((k) => set.samples.filter((s) => s.label === k).length);

describe('readImageSet', () => {
  it('decides folder, manifest or image in one place', () => {
    assert.deepEqual(counts(readImageSet(root)), [12, 8]);
    const one = readImageSet(join(root, 'a', '3.png'), { unlabeled: true });
    assert.deepEqual(one.samples, [{ path: join(root, 'a', '3.png'), label: -1 }]);
    const loose = readImageSet(join(root, 'b'), { unlabeled: true });
    assert.deepEqual([loose.samples.length, loose.samples[0]!.label], [8, -1]);
    assert.throws(() => readImageSet(join(tmp, 'missing')), DatasetError);
    assert.throws(() => readImageSet(join(tmp, 'notes.txt'), { unlabeled: true }), /expected an image/);
    assert.throws(() => readImageSet(join(root, 'b')), /no class sub-folders/); // labels needed
  });
});

describe('holdOut and limitSamples', () => {
  it('hold out 20% per class, seeded and disjoint', () => {
    const set = readImageSet(root);
    const [train, test] = holdOut(set, 0.2, 7);
    assert.deepEqual(
      [counts(train), counts(test)],
      [
        [10, 6],
        [2, 2], // 2.4 and 1.6 test images: the larger remainder gets the 4th
      ],
    );
    const paths = new Set(train.samples.map((s) => s.path));
    assert.ok(test.samples.every((s) => !paths.has(s.path)));
    assert.deepEqual(holdOut(set, 0.2, 7)[1].samples, test.samples);
    assert.notDeepEqual(holdOut(set, 0.2, 8)[1].samples, test.samples);
  });

  it('limit keeps a stratified random subset, or everything', () => {
    const set = readImageSet(root);
    assert.deepEqual(counts(limitSamples(set, 5, 0)), [3, 2]);
    assert.equal(limitSamples(set, 0, 0), set);
    assert.equal(limitSamples(set, 50, 0), set);
    const picked = limitSamples(set, 5, new Rng(1).int(100));
    assert.equal(new Set(picked.samples.map((s) => s.path)).size, 5);
  });
});

describe('loadClassificationData', () => {
  it('a folder: 80/20 split, test tensors at size, training batches streamed', async () => {
    const d = await loadClassificationData({ data: root, size: [4, 4], channels: 1, batchSize: 8, seed: 3 });
    assert.deepEqual(d.classNames, ['a', 'b']);
    assert.deepEqual(d.inputShape, [4, 4, 1]);
    assert.deepEqual(d.test.x.shape, [4, 4, 4, 1]);
    assert.deepEqual(Array.from(d.test.y.dataSync()).sort(), [0, 0, 1, 1]);
    let seen = 0;
    for await (const b of d.train.batches(0, new Rng(0))) {
      const x = b.x as tf.Tensor;
      seen += x.shape[0]!;
      const px = x.max().dataSync()[0]!;
      assert.ok(px > 0 && px <= 1, `pixels in [0, 1], got max ${px}`);
      tf.dispose([b.x as tf.Tensor, b.y as tf.Tensor]);
    }
    assert.equal(seen, 16);
    assert.equal(d.trainSet!.samples.length, 16);
  });

  it('testData replaces the split; limit shrinks the training set only; bad options say which', async () => {
    const d = await loadClassificationData({ data: root, testData: root, size: [4, 4], limit: 6 });
    assert.deepEqual([d.trainSet!.samples.length, d.test.x.shape[0], d.test.x.shape[3]], [6, 20, 3]);
    await assert.rejects(
      loadClassificationData({ data: root, size: [0, 4] }),
      /classification data options: size\.0: /,
    );
  });
});
