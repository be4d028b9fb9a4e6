import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Rng } from '@dlpipe/core';
import { tf } from '@dlpipe/tensor';
import sharp from 'sharp';
import { writeImageGrid } from '../image/grid.js';
import {
  augmentBatch,
  colorJitter,
  compose,
  randomHorizontalFlip,
  randomResizedCrop,
  randomRotation,
  randomVerticalFlip,
  resizedCropBox,
} from './transforms.js';

const tmp = mkdtempSync(join(tmpdir(), 'dlpipe-vision-aug-'));
before(async () => {
  await tf.setBackend('cpu');
});
after(() => rmSync(tmp, { recursive: true, force: true }));

/** An 8×8 RGB gradient in [0, 1]: R grows along x, G along y. */
const img = () =>
  tf.tidy(() => {
    const r = tf.tile(tf.reshape(tf.linspace(0, 1, 8), [1, 8, 1]), [8, 1, 1]);
    const g = tf.tile(tf.reshape(tf.linspace(0, 1, 8), [8, 1, 1]), [1, 8, 1]);
    return tf.concat([r, g, tf.fill([8, 8, 1], 0.5)], -1) as tf.Tensor3D;
  });

describe('augmentation', () => {
  it('flips with probability 1 and 0 exactly', () => {
    const x = img();
    const h = randomHorizontalFlip(1)(x, new Rng(1));
    assert.deepEqual([...h.slice([0, 0, 0], [1, 1, 1]).dataSync()], [1]); // R at x=0 is now the right edge's 1
    assert.equal(randomHorizontalFlip(0)(x, new Rng(1)), x);
    const v = randomVerticalFlip(1)(x, new Rng(1));
    assert.deepEqual([...v.slice([0, 0, 1], [1, 1, 1]).dataSync()], [1]);
  });

  it('is deterministic under a seed and differs across seeds', () => {
    const aug = compose(
      randomResizedCrop({ size: [6, 6] }),
      randomHorizontalFlip(),
      colorJitter({ brightness: 0.4, contrast: 0.4, saturation: 0.4, hue: 0.1 }),
      randomRotation(15),
    );
    const x = img();
    const a = aug(x, new Rng(42)).dataSync();
    const b = aug(x, new Rng(42)).dataSync();
    const c = aug(x, new Rng(43)).dataSync();
    assert.deepEqual(a, b);
    assert.notDeepEqual(a, c);
  });

  it('stays within bounds: crop boxes inside the image with scale and ratio in range, pixels in [0, 1]', () => {
    const rng = new Rng(3);
    for (let i = 0; i < 500; i++) {
      const b = resizedCropBox(60, 80, rng, [0.2, 0.9], [0.5, 2]);
      assert.ok(
        b.top >= 0 && b.left >= 0 && b.top + b.height <= 60 && b.left + b.width <= 80,
        JSON.stringify(b),
      );
      const area = (b.height * b.width) / 4800;
      // rounding of the side lengths moves the area by at most a few percent
      assert.ok(area > 0.17 && area < 0.95, `area ${area}`);
    }
    const jitter = colorJitter({ brightness: 0.9, contrast: 0.9, saturation: 0.9, hue: 0.5 });
    for (let s = 0; s < 20; s++) {
      const y = jitter(img(), new Rng(s)).dataSync();
      assert.ok(Math.min(...y) >= 0 && Math.max(...y) <= 1);
    }
  });

  it('matches torchvision on brightness (x·f) and a 0° rotation is the identity', () => {
    const x = img();
    const rng = new Rng(9);
    const f = 0.5 + new Rng(9).next(); // the factor brightness 0.5 draws from [0.5, 1.5]
    const y = colorJitter({ brightness: 0.5 })(x, rng);
    const want = tf.clipByValue(tf.mul(x, f), 0, 1).dataSync();
    for (const [i, v] of y.dataSync().entries()) assert.ok(Math.abs(v - want[i]!) < 1e-6);
    const r = randomRotation(0)(x, new Rng(1)).dataSync();
    for (const [i, v] of x.dataSync().entries()) assert.ok(Math.abs(v - r[i]!) < 1e-6);
  });

  it('augments a batch and writes a preview grid PNG', async () => {
    const batch = tf.stack([img(), img(), img(), img()]) as tf.Tensor4D;
    const out = augmentBatch(batch, randomResizedCrop({ size: [8, 8], scale: [0.3, 1] }), new Rng(1));
    assert.deepEqual(out.shape, [4, 8, 8, 3]);
    const path = await writeImageGrid(out, join(tmp, 'grid.png'), {
      columns: 2,
      tile: 32,
      captions: ['a', 'b', 'c', '<d>'],
    });
    const meta = await sharp(path).metadata();
    // one caption line at 11 px: 4 + 14 px under each tile
    assert.deepEqual([meta.width, meta.height, meta.format], [2 * 36 + 4, 2 * (32 + 18 + 4) + 4, 'png']);
  });
});
