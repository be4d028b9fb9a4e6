/**
 * Pasting RGBA sprites onto an RGB image, and the exact boxes of what stays visible.
 *
 * A sprite pixel *covers* its image pixel when its alpha is above `alphaThreshold` (default
 * 127, i.e. more than half opaque). Objects are pasted in order; a later object's covering
 * pixels hide an earlier object's there. An object's box is the tight box of the pixels it still
 * covers, in pixel corner coordinates (`x2 = last column + 1`), and its `visible` share is those
 * pixels over all the pixels it covered when pasted. An object with `visible < minVisible`
 * (default 0.25) or with nothing left is `kept: false`: the caller leaves it out of the
 * annotations (its remaining pixels stay in the image, unlabelled). Colours blend with the
 * sprite's alpha: `out = round(a·fg + (1 − a)·bg)`, `a = alpha / 255`.
 *
 *   const { image, objects } = composeScene(bg, [{ sprite, x: 10, y: 20, classId: 0 }]);
 *   objects[0].box;   // [x1, y1, x2, y2] of the visible pixels
 */
import { InvalidArgumentError } from '@dlpipe/core';
import type { PixelBox, RgbaImage } from './sprites.js';

/** Raw RGB pixels, row-major. */
export interface RgbImage {
  width: number;
  height: number;
  data: Uint8Array;
}

/** A sprite placed with its top-left corner at integer (x, y) of the image. */
export interface Placement {
  sprite: RgbaImage;
  x: number;
  y: number;
  classId: number;
}

export interface PastedObject {
  classId: number;
  /** The tight box of the visible covering pixels; null when none is visible. */
  box: PixelBox | null;
  /** Pixels the object covered when pasted (inside the image). */
  coveredPixels: number;
  /** Pixels it still covers after every later object. */
  visiblePixels: number;
  /** visiblePixels / coveredPixels (0 when it covered none). */
  visible: number;
  /** Whether it goes into the annotations (`visible >= minVisible` and something is visible). */
  kept: boolean;
}

export interface ComposeOptions {
  /** A sprite pixel covers the image where alpha > this (0..254). Default 127. */
  alphaThreshold?: number;
  /** Objects with a smaller visible share are not kept. Default 0.25. */
  minVisible?: number;
}

/** Blends `p.sprite` into `img` (in place) and marks the pixels it covers as `owner[...] = id`. */
export function pasteSprite(
  img: RgbImage,
  p: Placement,
  owner: Int32Array,
  id: number,
  threshold: number,
): number {
  const s = p.sprite;
  let covered = 0;
  for (let sy = 0; sy < s.height; sy++) {
    const y = p.y + sy;
    if (y < 0 || y >= img.height) continue;
    for (let sx = 0; sx < s.width; sx++) {
      const x = p.x + sx;
      if (x < 0 || x >= img.width) continue;
      const si = (sy * s.width + sx) * 4;
      const alpha = s.data[si + 3]!;
      if (alpha === 0) continue;
      const di = (y * img.width + x) * 3;
      const a = alpha / 255;
      for (let c = 0; c < 3; c++)
        img.data[di + c] = Math.round(a * s.data[si + c]! + (1 - a) * img.data[di + c]!);
      if (alpha > threshold) {
        owner[y * img.width + x] = id;
        covered++;
      }
    }
  }
  return covered;
}

/** The tight box of the pixels whose owner is `id` in each id's list, one pass. */
function ownerBoxes(
  owner: Int32Array,
  width: number,
  n: number,
): { boxes: (PixelBox | null)[]; counts: number[] } {
  const boxes: (PixelBox | null)[] = new Array(n).fill(null);
  const counts = new Array<number>(n).fill(0);
  for (let i = 0; i < owner.length; i++) {
    const k = owner[i]!;
    if (k < 0) continue;
    const x = i % width;
    const y = (i - x) / width;
    counts[k]!++;
    const b = boxes[k];
    if (!b) boxes[k] = [x, y, x + 1, y + 1];
    else {
      if (x < b[0]) b[0] = x;
      if (x + 1 > b[2]) b[2] = x + 1;
      b[3] = y + 1;
    }
  }
  return { boxes, counts };
}

/** Pastes the placements in order onto a copy of `background` and returns the image and each object's visible box. */
export function composeScene(
  background: RgbImage,
  placements: Placement[],
  options: ComposeOptions = {},
): { image: RgbImage; objects: PastedObject[]; owner: Int32Array } {
  const threshold = options.alphaThreshold ?? 127;
  const minVisible = options.minVisible ?? 0.25;
  if (!(threshold >= 0 && threshold < 255) || !(minVisible >= 0 && minVisible <= 1)) {
    throw new InvalidArgumentError(
      `composeScene: alphaThreshold must be in [0, 255) and minVisible in [0, 1], received ${threshold} and ${minVisible}`,
    );
  }
  const image = { ...background, data: new Uint8Array(background.data) };
  const owner = new Int32Array(image.width * image.height).fill(-1);
  const covered = placements.map((p, k) => pasteSprite(image, p, owner, k, threshold));
  const { boxes, counts } = ownerBoxes(owner, image.width, placements.length);
  const objects = placements.map((p, k): PastedObject => {
    const visible = covered[k]! > 0 ? counts[k]! / covered[k]! : 0;
    return {
      classId: p.classId,
      box: boxes[k]!,
      coveredPixels: covered[k]!,
      visiblePixels: counts[k]!,
      visible,
      kept: counts[k]! > 0 && visible >= minVisible,
    };
  });
  return { image, objects, owner };
}

/** Intersection over union of two corner boxes (0 when either is empty). */
export function pixelBoxIou(a: PixelBox, b: PixelBox): number {
  const iw = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
  const ih = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
  if (iw <= 0 || ih <= 0) return 0;
  const inter = iw * ih;
  return inter / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter);
}
