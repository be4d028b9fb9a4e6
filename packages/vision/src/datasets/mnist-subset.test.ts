import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Rng } from '@dlpipe/core';
import { loadMnistFormat } from '@dlpipe/data';
import { tf } from '@dlpipe/tensor';
import { DatasetError } from '../errors.js';
import { balancedIndices, loadMnistSubset } from './mnist-subset.js';

describe('loadMnistSubset', () => {
  it('draws a class-balanced, seeded subset, resized and replicated to RGB', () => {
    const a = loadMnistSubset('mnist', { perClass: 3, testSize: 20, size: 32, channels: 3, seed: 1 });
    assert.deepEqual(
      [a.train.x.shape, a.test.x.shape],
      [
        [30, 32, 32, 3],
        [20, 32, 32, 3],
      ],
    );
    const counts = new Array(10).fill(0);
    for (const y of a.train.y.dataSync()) counts[y]++;
    assert.deepEqual(counts, new Array(10).fill(3));
    // the three channels are the same gray image
    const [r, g, b] = tf.split(a.train.x, 3, 3);
    assert.deepEqual(r!.dataSync(), g!.dataSync());
    assert.deepEqual(r!.dataSync(), b!.dataSync());
    const [lo, hi] = [a.train.x.min().dataSync()[0]!, a.train.x.max().dataSync()[0]!];
    assert.ok(lo >= 0 && hi <= 1 && hi > 0.5, `range [${lo}, ${hi}]`);
    // same seed, same images; another seed, others
    const again = loadMnistSubset('mnist', { perClass: 3, testSize: 20, size: 32, channels: 3, seed: 1 });
    assert.deepEqual(again.train.x.dataSync(), a.train.x.dataSync());
    assert.deepEqual(again.test.y.dataSync(), a.test.y.dataSync());
    const other = loadMnistSubset('mnist', { perClass: 3, testSize: 20, seed: 2 });
    assert.deepEqual(other.train.x.shape, [30, 28, 28, 1]);
    assert.notDeepEqual(other.test.y.dataSync(), a.test.y.dataSync());
  });

  it('keeps the pixels of the chosen images at 28×28', () => {
    const ds = loadMnistFormat('mnist');
    const idx = balancedIndices(ds.train.labels, 10, 2, new Rng(5));
    const s = loadMnistSubset('mnist', { perClass: 2, testSize: 1, seed: 5 });
    const first = idx[0]!;
    const want = Array.from(ds.train.images.subarray(first * 784, first * 784 + 784), (v) => v / 255);
    assert.deepEqual(Array.from(tf.slice(s.train.x, 0, 1).dataSync()), Array.from(Float32Array.from(want)));
    assert.equal(s.train.y.dataSync()[0], ds.train.labels[first]);
  });

  it('rejects impossible sizes with the allowed range', () => {
    assert.throws(
      () => loadMnistSubset('mnist', { perClass: 100000 }),
      (e: unknown) => e instanceof DatasetError && /perClass 100000 .* from 1 to \d+/.test(e.message),
    );
    assert.throws(
      () => loadMnistSubset('mnist', { perClass: 1, testSize: 0 }),
      (e: unknown) => e instanceof DatasetError && /testSize 0 .* 1 to 10000/.test(e.message),
    );
  });
});
