/**
 * One generated image: a random background crop and random sprites pasted onto it, all drawn
 * from the image's own `Rng` (so any image can be made alone, in any order, with the same bytes).
 *
 * Per object: a class (uniform), a sprite source (uniform over the spec's), a size (the drawn
 * emoji's longer side, uniform in `scale` × image side), a mirror (half the time when `flip`),
 * a rotation (uniform in ±`maxRotation` degrees), then a position where its whole box lies inside
 * the image (objects are never cut at the border) and its box's IoU with every earlier object's
 * box is at most `maxOverlap`; after 20 refused positions the object is left out. Occlusion is
 * then resolved by `composeScene` (see paste.ts).
 *
 *   const scene = await sampleScene(new Rng(7), spec, photos, sprites);
 *   scene.objects.filter((o) => o.kept);   // what goes into the annotations
 */
import type { Rng } from '@dlpipe/core';
import { type BackgroundCrop, type LoadedPhoto, randomBackground } from './backgrounds.js';
import { composeScene, type PastedObject, type Placement, pixelBoxIou, type RgbImage } from './paste.js';
import type { DetectionSetSpec } from './set-specs.js';
import { alphaBox, type PixelBox, type SpriteRasterizer, transformSprite } from './sprites.js';

/** Tries per object to find a position that respects `maxOverlap`. */
export const PLACEMENT_TRIES = 20;

export interface Scene {
  image: RgbImage;
  crop: BackgroundCrop;
  placements: Placement[];
  objects: PastedObject[];
  /** Per pixel, the index of the placement that covers it visibly, or -1. */
  owner: Int32Array;
}

/** Picks a position for a sprite whose covering pixels span `b` (sprite coordinates), or null. */
function place(
  rng: Rng,
  size: number,
  b: PixelBox,
  taken: PixelBox[],
  maxOverlap: number,
): [number, number] | null {
  const bw = b[2] - b[0];
  const bh = b[3] - b[1];
  if (bw > size || bh > size) return null;
  for (let t = 0; t < PLACEMENT_TRIES; t++) {
    const x = rng.int(size - bw + 1);
    const y = rng.int(size - bh + 1);
    const box: PixelBox = [x, y, x + bw, y + bh];
    if (taken.every((o) => pixelBoxIou(o, box) <= maxOverlap)) return [x - b[0], y - b[1]];
  }
  return null;
}

/** Draws one image of `spec` from `rng`. */
export async function sampleScene(
  rng: Rng,
  spec: DetectionSetSpec,
  photos: LoadedPhoto[],
  sprites: SpriteRasterizer,
): Promise<Scene> {
  const size = spec.imageSize;
  const { image: bg, crop } = await randomBackground(photos, rng, {
    size,
    minCrop: spec.minCrop,
    flip: true,
  });
  const [lo, hi] = spec.objectsPerImage;
  const n = lo + rng.int(hi - lo + 1);
  const placements: Placement[] = [];
  const taken: PixelBox[] = [];
  for (let k = 0; k < n; k++) {
    const classId = rng.int(spec.classes.length);
    const source = spec.spriteSources[rng.int(spec.spriteSources.length)]!;
    const longSide = Math.max(
      2,
      Math.round(size * (spec.scale[0] + (spec.scale[1] - spec.scale[0]) * rng.next())),
    );
    const flip = spec.flip && rng.next() < 0.5;
    const angle = spec.maxRotation * (2 * rng.next() - 1);
    const raw = await sprites.render(source, spec.classes[classId]!.codepoint, longSide);
    const sprite = await transformSprite(raw, { flip, angle: Math.abs(angle) < 1e-9 ? 0 : angle });
    const b = alphaBox(sprite, spec.alphaThreshold);
    const at = b && place(rng, size, b, taken, spec.maxOverlap);
    if (!b || !at) continue;
    placements.push({ sprite, x: at[0], y: at[1], classId });
    taken.push([at[0] + b[0], at[1] + b[1], at[0] + b[2], at[1] + b[3]]);
  }
  const { image, objects, owner } = composeScene(bg, placements, {
    alphaThreshold: spec.alphaThreshold,
    minVisible: spec.minVisible,
  });
  return { image, crop, placements, objects, owner };
}
