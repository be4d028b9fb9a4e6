import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { OptionsError } from '@dlpipe/core';
import { initBackend } from '@dlpipe/tensor';
import sharp from 'sharp';
import { embedImages } from './embed-images.js';

const dir = mkdtempSync(join(tmpdir(), 'dlpipe-embed-'));
const files: string[] = [];
before(async () => {
  await initBackend();
  for (let k = 0; k < 3; k++) {
    // 4×4 gray images whose pixel i is 16·i + k
    const raw = Buffer.from(Array.from({ length: 16 }, (_, i) => 16 * i + k));
    const f = join(dir, `img${k}.png`);
    await sharp(raw, { raw: { width: 4, height: 4, channels: 1 } })
      .png()
      .toFile(f);
    files.push(f);
  }
  writeFileSync(join(dir, 'broken.png'), Buffer.from('not a png at all'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('embedImages', () => {
  it('pixels: grayscale values / 255 in row order, undecodable files reported with their error', async () => {
    const e = await embedImages([files[0]!, join(dir, 'broken.png'), files[2]!], {
      backbone: 'pixels',
      size: 4,
    });
    assert.equal(e.dim, 16);
    assert.deepEqual(e.rows, [0, 2]);
    assert.equal(e.failed.length, 1);
    assert.equal(e.failed[0]!.index, 1);
    assert.match(e.failed[0]!.error, /broken\.png.*not a supported image/);
    for (let i = 0; i < 16; i++) {
      assert.ok(Math.abs(e.features[i]! - (16 * i) / 255) < 1e-6);
      assert.ok(Math.abs(e.features[16 + i]! - (16 * i + 2) / 255) < 1e-6);
    }
  });

  it("mobilenetv2: nsfwjs's pooled 1280 features, the same for the same image, finite", async () => {
    const e = await embedImages([files[0]!, files[0]!, files[1]!], {
      backbone: 'mobilenetv2',
      size: 32,
      batchSize: 2,
    });
    assert.equal(e.dim, 1280);
    assert.equal(e.features.length, 3 * 1280);
    assert.ok(e.features.every(Number.isFinite));
    assert.deepEqual(e.features.subarray(0, 1280), e.features.subarray(1280, 2560));
    assert.notDeepEqual(e.features.subarray(0, 1280), e.features.subarray(2560));
  });

  it('refuses a MobileNetV2 size that is not a multiple of 32, and bad options', async () => {
    await assert.rejects(
      embedImages(files, { size: 100 }),
      /size 100 for mobilenetv2 must be a multiple of 32/,
    );
    await assert.rejects(embedImages(files, { batchSize: 0 }), OptionsError);
  });
});
