import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { tf } from '@dlpipe/tensor';
import sharp from 'sharp';
import { ImageDecodeError, ImageShapeError } from '../errors.js';
import { decodeImage } from './decode.js';
import { centerCrop, crop, normalize, resizeCenterCrop, resizeContain } from './ops.js';
import { encodeImage, readImage, writeImage } from './tensor-image.js';

const tmp = mkdtempSync(join(tmpdir(), 'dlpipe-vision-img-'));
before(async () => {
  await tf.setBackend('cpu');
});
after(() => rmSync(tmp, { recursive: true, force: true }));

/** A w×h RGB test pattern: R = 10·x, G = 10·y, B = 100 (known values to check against). */
function pattern(w: number, h: number): Buffer {
  const b = Buffer.alloc(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) b.set([10 * x, 10 * y, 100], (y * w + x) * 3);
  }
  return b;
}
const raw = (w: number, h: number, c: 1 | 3 | 4 = 3) => ({ raw: { width: w, height: h, channels: c } });

describe('decodeImage / encodeImage', () => {
  it('round-trips PNG exactly and JPEG within compression error', async () => {
    const png = await sharp(pattern(6, 4), raw(6, 4)).png().toBuffer();
    const img = await decodeImage(png);
    assert.deepEqual([img.width, img.height, img.channels, img.bits, img.format], [6, 4, 3, 8, 'png']);
    assert.deepEqual([...img.data.subarray(0, 6)], [0, 0, 100, 10, 0, 100]);
    const x = await readImage(png, { dtype: 'int32' });
    const back = await decodeImage(await encodeImage(x, { format: 'png' }));
    assert.deepEqual([...back.data], [...img.data]);
    const jpg = await decodeImage(await encodeImage(await readImage(png), { format: 'jpeg', quality: 100 }));
    const maxErr = Math.max(...[...jpg.data].map((v, i) => Math.abs(v - img.data[i]!)));
    assert.ok(maxErr <= 12, `JPEG error ${maxErr}`);
  });

  it('converts to grayscale with Rec. 709 luminance weights and writes 1-channel PNG', async () => {
    const png = await sharp(Buffer.from([255, 0, 0, 0, 255, 0]), raw(2, 1))
      .png()
      .toBuffer();
    const g = await decodeImage(png, { channels: 1 });
    assert.equal(g.channels, 1);
    // libvips b-w: 0.2126 R + 0.7152 G + 0.0722 B on linear light → sRGB; red 127±2, green 220±2
    assert.ok(Math.abs(g.data[0]! - 127) <= 3 && Math.abs(g.data[1]! - 220) <= 3, `${[...g.data]}`);
    const path = await writeImage(imageTensor(g), join(tmp, 'g.png'));
    assert.equal((await sharp(path).metadata()).channels, 1);
  });

  it('flattens RGBA over the background, keeps or drops alpha on request', async () => {
    const rgba = await sharp(Buffer.from([200, 100, 0, 0, 200, 100, 0, 255]), raw(2, 1, 4))
      .png()
      .toBuffer();
    const flat = await decodeImage(rgba, { background: [255, 255, 255] });
    assert.deepEqual([...flat.data], [255, 255, 255, 200, 100, 0]);
    const kept = await decodeImage(rgba, { channels: 'keep' });
    assert.deepEqual([kept.channels, kept.data[3], kept.data[7]], [4, 0, 255]);
    const dropped = await decodeImage(rgba, { alpha: 'drop' });
    assert.deepEqual([...dropped.data], [200, 100, 0, 200, 100, 0]);
  });

  it('applies EXIF orientation (6 = rotate 90° clockwise)', async () => {
    const jpg = await sharp(pattern(6, 4), raw(6, 4))
      .jpeg({ quality: 100 })
      .withMetadata({ orientation: 6 })
      .toBuffer();
    assert.equal((await sharp(jpg).metadata()).orientation, 6);
    const img = await decodeImage(jpg);
    assert.deepEqual([img.width, img.height], [4, 6]);
    // after a 90° clockwise turn the top-left pixel is the original bottom-left (x=0, y=3): G = 30
    assert.ok(Math.abs(img.data[1]! - 30) <= 6 && img.data[0]! <= 6, `${[...img.data.subarray(0, 3)]}`);
  });

  it('reads 16-bit PNG as 16-bit or 8-bit, and scales floats by 65535', async () => {
    const px = new Uint16Array([0, 1000, 65535, 30000, 40000, 50000]);
    const png = await sharp(px, { raw: { width: 2, height: 1, channels: 3 } })
      .toColourspace('rgb16')
      .png()
      .toBuffer();
    const keep = await decodeImage(png, { depth: 'keep' });
    assert.equal(keep.bits, 16);
    assert.deepEqual([...keep.data], [...px]);
    const eight = await decodeImage(png);
    assert.deepEqual([eight.bits, eight.data[2], eight.data[5]], [8, 255, Math.round(50000 / 257)]);
    const x = await readImage(png, { depth: 'keep' });
    assert.ok(Math.abs(x.dataSync()[1]! - 1000 / 65535) < 1e-6);
    const back = await decodeImage(await encodeImage(keep), { depth: 'keep' });
    assert.deepEqual([...back.data], [...px]);
  });

  it('decodes WebP, GIF (first frame) and TIFF', async () => {
    for (const f of ['webp', 'gif', 'tiff'] as const) {
      const buf = await sharp(pattern(4, 4), raw(4, 4))
        .toFormat(f, f === 'webp' ? { lossless: true } : {})
        .toBuffer();
      const img = await decodeImage(buf);
      assert.deepEqual([img.format, img.width, img.channels], [f, 4, 3]);
    }
  });

  it('resizes exactly, with keep-aspect + pad, and a 1×1 image up to 8×8', async () => {
    const png = await sharp(pattern(8, 4), raw(8, 4)).png().toBuffer();
    const c = await decodeImage(png, { resize: { width: 8, height: 8, fit: 'contain' } });
    assert.deepEqual([c.width, c.height], [8, 8]);
    assert.deepEqual([...c.data.subarray(0, 3)], [0, 0, 0]); // top padding row is black
    const one = await decodeImage(
      await sharp(Buffer.from([9, 99, 199]), raw(1, 1))
        .png()
        .toBuffer(),
      {
        resize: { width: 8, height: 8 },
      },
    );
    assert.deepEqual([one.width, one.height, one.data[63 * 3 + 1]], [8, 8, 99]);
  });
});

describe('bad input', () => {
  it('zero-byte, corrupt, text-as-.jpg and 10000×10000 images give ImageDecodeError naming the file', async () => {
    const empty = join(tmp, 'empty.jpg');
    writeFileSync(empty, '');
    await assert.rejects(
      decodeImage(empty),
      (e: unknown) => e instanceof ImageDecodeError && /zero-byte/.test(e.message) && e.path === empty,
    );
    const truncated = join(tmp, 'trunc.jpg');
    writeFileSync(truncated, (await sharp(pattern(32, 32), raw(32, 32)).jpeg().toBuffer()).subarray(0, 200));
    await assert.rejects(
      decodeImage(truncated),
      (e: unknown) => e instanceof ImageDecodeError && e.message.startsWith(truncated),
    );
    const text = join(tmp, 'notes.jpg');
    writeFileSync(text, 'hello, I am not a JPEG');
    await assert.rejects(decodeImage(text), /notes\.jpg: not a supported image \(text "hello, I am not /);
    await assert.rejects(decodeImage(join(tmp, 'missing.png')), /missing\.png: cannot read: ENOENT/);
    const big = await sharp({ create: { width: 10000, height: 10000, channels: 3, background: 'red' } })
      .png({ compressionLevel: 1 })
      .toBuffer();
    await assert.rejects(decodeImage(big), /10000×10000 = 100,000,000 pixels exceeds maxPixels 50,000,000/);
  });

  it('a PNG named .jpg decodes by content', async () => {
    const p = join(tmp, 'png-named.jpg');
    writeFileSync(p, await sharp(pattern(2, 2), raw(2, 2)).png().toBuffer());
    assert.equal((await decodeImage(p)).format, 'png');
  });

  it('refuses tensors that are not images', async () => {
    await assert.rejects(encodeImage(tf.zeros([2, 2, 2])), ImageShapeError);
    assert.throws(
      () => normalize(tf.zeros([2, 2, 3]), [0.5, 0.5], [1, 1]),
      /mean has 2 values but the image has 3 channels/,
    );
    assert.throws(
      () => crop(tf.zeros([4, 4, 3]) as tf.Tensor3D, 2, 2, [3, 3]),
      /does not fit in a 4×4 image/,
    );
  });
});

describe('tensor ops', () => {
  it('centerCrop, resizeContain, normalize and resizeCenterCrop match hand-computed values', () => {
    const x = tf.tensor3d(
      Array.from({ length: 16 }, (_, i) => i),
      [4, 4, 1],
    );
    assert.deepEqual([...centerCrop(x, [2, 2]).dataSync()], [5, 6, 9, 10]);
    const wide = tf.ones([2, 4, 1]) as tf.Tensor3D;
    assert.deepEqual(
      [...resizeContain(wide, [4, 4]).dataSync()],
      [0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0],
    );
    const n = normalize(tf.tensor3d([0.5, 0.25, 1], [1, 1, 3]), [0.5, 0.5, 0.5], [0.5, 0.25, 0.5]);
    assert.deepEqual([...n.dataSync()], [0, -1, 1]);
    assert.deepEqual(
      resizeCenterCrop(tf.zeros([100, 200, 3]) as tf.Tensor3D, 64, [56, 56]).shape,
      [56, 56, 3],
    );
  });
});

function imageTensor(img: {
  data: Uint8Array | Uint16Array;
  height: number;
  width: number;
  channels: number;
}) {
  return tf.tensor3d(Int32Array.from(img.data), [img.height, img.width, img.channels], 'int32');
}
