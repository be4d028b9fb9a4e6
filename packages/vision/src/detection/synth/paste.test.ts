import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidArgumentError } from '@dlpipe/core';
import { composeScene, type Placement, pixelBoxIou, type RgbImage } from './paste.js';
import type { RgbaImage } from './sprites.js';

/** A w×h sprite of one colour whose alpha is `inner` in [x1,x2)×[y1,y2) and `outer` elsewhere. */
function sprite(
  w: number,
  h: number,
  rgb: number[],
  inner: number,
  outer: number,
  box?: number[],
): RgbaImage {
  const [x1, y1, x2, y2] = box ?? [0, 0, w, h];
  const data = new Uint8Array(w * h * 4);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      data.set([...rgb, x >= x1! && x < x2! && y >= y1! && y < y2! ? inner : outer], (y * w + x) * 4);
    }
  }
  return { width: w, height: h, data };
}
const gray = (w: number, h: number, v = 100): RgbImage => ({
  width: w,
  height: h,
  data: new Uint8Array(w * h * 3).fill(v),
});
const px = (img: RgbImage, x: number, y: number) =>
  Array.from(img.data.subarray((y * img.width + x) * 3, (y * img.width + x) * 3 + 3));

describe('composeScene', () => {
  it('boxes are the tight box of pixels with alpha > threshold, in pixel corners', () => {
    // 12×10 sprite: opaque core [2,3)-[9,8), a fringe of alpha 100 (below 127) around it
    const s = sprite(12, 10, [255, 0, 0], 255, 100, [2, 3, 9, 8]);
    const { objects } = composeScene(gray(40, 30), [{ sprite: s, x: 5, y: 4, classId: 0 }]);
    assert.deepEqual(objects[0]!.box, [7, 7, 14, 12]); // core shifted by (5, 4); x2 = last column + 1
    assert.equal(objects[0]!.coveredPixels, 7 * 5);
    // with threshold 99 the fringe counts: the whole sprite
    const low = composeScene(gray(40, 30), [{ sprite: s, x: 5, y: 4, classId: 0 }], { alphaThreshold: 99 });
    assert.deepEqual(low.objects[0]!.box, [5, 4, 17, 14]);
  });

  it('blends colours with the alpha: round(a·fg + (1−a)·bg)', () => {
    const s = sprite(2, 1, [200, 0, 50], 255, 0, [0, 0, 1, 1]);
    s.data[7] = 51; // second pixel alpha 0.2
    const { image } = composeScene(gray(4, 1, 100), [{ sprite: s, x: 1, y: 0, classId: 0 }]);
    assert.deepEqual(px(image, 0, 0), [100, 100, 100]);
    assert.deepEqual(px(image, 1, 0), [200, 0, 50]);
    assert.deepEqual(px(image, 2, 0), [120, 80, 90]); // 0.2·200 + 0.8·100 = 120, 0.8·100 = 80, 0.2·50 + 80 = 90
  });

  it('a later object hides an earlier one: the box shrinks to the visible part', () => {
    const a: Placement = { sprite: sprite(10, 10, [255, 0, 0], 255, 0), x: 0, y: 0, classId: 0 };
    const b: Placement = { sprite: sprite(10, 10, [0, 255, 0], 255, 0), x: 6, y: 0, classId: 1 }; // covers columns 6..9 of a
    const { objects, owner } = composeScene(gray(20, 12), [a, b]);
    assert.deepEqual(objects[0]!.box, [0, 0, 6, 10]);
    assert.equal(objects[0]!.visiblePixels, 60);
    assert.equal(objects[0]!.visible, 0.6);
    assert.equal(objects[0]!.kept, true);
    assert.deepEqual(objects[1]!.box, [6, 0, 16, 10]);
    assert.equal(owner[5], 0);
    assert.equal(owner[6], 1);
  });

  it('drops an object when less than minVisible of it stays visible (the rule is >=)', () => {
    const a: Placement = { sprite: sprite(10, 10, [255, 0, 0], 255, 0), x: 0, y: 0, classId: 0 };
    const cover = (x: number): Placement => ({
      sprite: sprite(10, 10, [0, 0, 255], 255, 0),
      x,
      y: 0,
      classId: 1,
    });
    // a cover at x=2 hides columns 2..9 of a: 20 % visible
    assert.equal(composeScene(gray(20, 10), [a, cover(2)], { minVisible: 0.25 }).objects[0]!.kept, false);
    assert.equal(composeScene(gray(20, 10), [a, cover(2)], { minVisible: 0.2 }).objects[0]!.kept, true);
    // fully hidden: no box at all
    const hidden = composeScene(gray(20, 10), [a, cover(0)], { minVisible: 0 }).objects[0]!;
    assert.equal(hidden.box, null);
    assert.equal(hidden.kept, false);
    // a faint later sprite (alpha 100 ≤ 127) blends but hides nothing
    const faint: Placement = { sprite: sprite(10, 10, [0, 0, 255], 100, 100), x: 0, y: 0, classId: 1 };
    const r = composeScene(gray(20, 10), [a, faint]);
    assert.equal(r.objects[0]!.visible, 1);
    assert.equal(r.objects[1]!.box, null);
  });

  it('clips sprites at the image border and refuses bad options', () => {
    const s = sprite(6, 6, [1, 2, 3], 255, 0);
    const { objects } = composeScene(gray(10, 10), [{ sprite: s, x: 7, y: -2, classId: 0 }]);
    assert.deepEqual(objects[0]!.box, [7, 0, 10, 4]);
    assert.throws(() => composeScene(gray(2, 2), [], { minVisible: 2 }), InvalidArgumentError);
    assert.throws(
      () => composeScene(gray(2, 2), [], { alphaThreshold: 255 }),
      /alphaThreshold must be in \[0, 255\)/,
    );
  });
});

describe('pixelBoxIou', () => {
  it('is intersection over union of corner boxes', () => {
    assert.equal(pixelBoxIou([0, 0, 10, 10], [5, 0, 15, 10]), 50 / 150);
    assert.equal(pixelBoxIou([0, 0, 10, 10], [10, 0, 20, 10]), 0);
    assert.equal(pixelBoxIou([0, 0, 4, 4], [0, 0, 4, 4]), 1);
  });
});
