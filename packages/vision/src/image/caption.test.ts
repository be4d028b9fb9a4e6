import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tf } from '@dlpipe/tensor';
import { misclassifiedCaption } from '../train/report.js';
import { captionHeight, charsPerLine, wrapCaption } from './caption.js';
import { decodeImage } from './decode.js';
import { imageGrid } from './grid.js';

describe('grid captions', () => {
  it('wrap at spaces, keep explicit breaks, cut words too long with …', () => {
    assert.deepEqual(wrapCaption('Shirt → T-shirt/top (0.62)', 17), ['Shirt →', 'T-shirt/top', '(0.62)']);
    assert.deepEqual(wrapCaption('Shirt →\nT-shirt/top (0.62)', 18), ['Shirt →', 'T-shirt/top (0.62)']);
    assert.deepEqual(wrapCaption('Supercalifragilistic', 8), ['Superca…']);
    assert.deepEqual(wrapCaption('a b c d e f', 1, 3), ['a', 'b', '…']);
    for (const line of wrapCaption('Ankle boot → Sandal (0.51) and more words here', 10)) {
      assert.ok(line.length <= 10, line);
    }
  });

  it('estimate how many characters fit a tile (0.62 em each)', () => {
    // 18 characters × 0.62 em × 11 px = 122.8 px > 110: wraps; at 10 px, 111.6 px > 110: wraps too
    assert.equal(charsPerLine(110, 11), 16);
    assert.equal(charsPerLine(190, 11), 27);
    assert.equal(captionHeight(2, 11), 4 + 2 * 14);
    assert.equal(captionHeight(0, 11), 0);
  });

  it('say "true →" then "pred (p)"', () => {
    assert.equal(misclassifiedCaption(['Shirt', 'T-shirt/top'], 0, 1, 0.618), 'Shirt →\nT-shirt/top (0.62)');
    assert.equal(misclassifiedCaption([], 3, 7, 0.5), '3 →\n7 (0.50)');
  });

  it('make the grid taller by the caption lines instead of clipping them', async () => {
    const imgs = tf.zeros([2, 8, 8, 3]) as tf.Tensor4D;
    const plain = await decodeImage(await imageGrid(imgs, { tile: 40, gap: 4 }));
    const one = await decodeImage(await imageGrid(imgs, { tile: 40, gap: 4, captions: ['a', 'b'] }));
    const three = await decodeImage(
      await imageGrid(imgs, { tile: 40, gap: 4, captions: ['Ankle boot → Sandal (0.51)', 'b'] }),
    );
    assert.deepEqual([plain.width, plain.height], [2 * 44 + 4, 48]);
    assert.equal(one.height, 48 + captionHeight(1, 11));
    assert.equal(three.height, 48 + captionHeight(3, 11));
  });
});
