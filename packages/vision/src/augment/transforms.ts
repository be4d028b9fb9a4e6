/**
 * Random augmentations on one HWC float image in [0, 1], torchvision's `transforms.v2` by name:
 * flips, random resized crop, color jitter, rotation, plus `compose`. Each draws from the `Rng`
 * it is given, so a seeded generator gives the same augmented images every run.
 *
 *   const aug = compose(randomResizedCrop({ size: [96, 96] }), randomHorizontalFlip(), colorJitter({ brightness: 0.4 }));
 *   const y = aug(x, new Rng(42));
 */
import type { Rng } from '@dlpipe/core';
import { tf } from '@dlpipe/tensor';
import { ImageShapeError } from '../errors.js';
import { normalize as normalizeOp } from '../image/ops.js';

/** One image in, one image out; randomness only from `rng`. */
export type ImageTransform = (x: tf.Tensor3D, rng: Rng) => tf.Tensor3D;

const uniform = (rng: Rng, lo: number, hi: number) => lo + (hi - lo) * rng.next();

/** Applies transforms in order, disposing intermediates. */
export function compose(...transforms: ImageTransform[]): ImageTransform {
  return (x, rng) => {
    let y = x;
    for (const t of transforms) {
      const next = t(y, rng);
      if (y !== x && next !== y) y.dispose();
      y = next;
    }
    return y;
  };
}

/** Mirrors left–right with probability p (default 0.5). */
export function randomHorizontalFlip(p = 0.5): ImageTransform {
  return (x, rng) => (rng.next() < p ? (tf.reverse(x, 1) as tf.Tensor3D) : x);
}

/** Mirrors top–bottom with probability p (default 0.5). */
export function randomVerticalFlip(p = 0.5): ImageTransform {
  return (x, rng) => (rng.next() < p ? (tf.reverse(x, 0) as tf.Tensor3D) : x);
}

export interface RandomResizedCropOptions {
  /** Output [height, width]. */
  size: [number, number];
  /** Area fraction range. Default [0.08, 1]. */
  scale?: [number, number];
  /** Aspect (w/h) range, sampled log-uniformly. Default [3/4, 4/3]. */
  ratio?: [number, number];
}

/** The crop box torchvision's RandomResizedCrop.get_params picks: 10 tries, then a centred fallback. */
export function resizedCropBox(
  h: number,
  w: number,
  rng: Rng,
  scale: [number, number] = [0.08, 1],
  ratio: [number, number] = [3 / 4, 4 / 3],
): { top: number; left: number; height: number; width: number } {
  const area = h * w;
  const logRatio = [Math.log(ratio[0]), Math.log(ratio[1])] as const;
  for (let i = 0; i < 10; i++) {
    const target = area * uniform(rng, scale[0], scale[1]);
    const aspect = Math.exp(uniform(rng, logRatio[0], logRatio[1]));
    const cw = Math.round(Math.sqrt(target * aspect));
    const ch = Math.round(Math.sqrt(target / aspect));
    if (cw > 0 && cw <= w && ch > 0 && ch <= h) {
      return { top: rng.int(h - ch + 1), left: rng.int(w - cw + 1), height: ch, width: cw };
    }
  }
  const inRatio = w / h;
  let cw = w;
  let ch = h;
  if (inRatio < ratio[0]) ch = Math.round(w / ratio[0]);
  else if (inRatio > ratio[1]) cw = Math.round(h * ratio[1]);
  return { top: Math.floor((h - ch) / 2), left: Math.floor((w - cw) / 2), height: ch, width: cw };
}

/** A random area/aspect crop resized to `size` (bilinear). */
export function randomResizedCrop(o: RandomResizedCropOptions): ImageTransform {
  return (x, rng) => {
    const [h, w] = x.shape;
    const b = resizedCropBox(h, w, rng, o.scale, o.ratio);
    return tf.tidy(() => {
      const c = tf.slice(x, [b.top, b.left, 0], [b.height, b.width, -1]);
      return tf.image.resizeBilinear(c as tf.Tensor3D, o.size, false, true);
    });
  };
}

export interface ColorJitterOptions {
  /** Factor drawn from [max(0, 1−b), 1+b]. Default 0 (off). */
  brightness?: number;
  contrast?: number;
  saturation?: number;
  /** Hue shift drawn from [−h, h] turns, h ≤ 0.5. Default 0. */
  hue?: number;
}

function gray(x: tf.Tensor3D): tf.Tensor {
  const c = x.shape[2];
  if (c === 1) return x;
  return tf.sum(tf.mul(x, tf.tensor1d([0.299, 0.587, 0.114])), -1, true);
}

/** Hue rotation by `turns` in YIQ space (a linear approximation of an HSV hue shift). */
function rotateHue(x: tf.Tensor3D, turns: number): tf.Tensor {
  const a = 2 * Math.PI * turns;
  const [cos, sin] = [Math.cos(a), Math.sin(a)];
  const toYiq = tf.tensor2d([0.299, 0.596, 0.211, 0.587, -0.274, -0.523, 0.114, -0.322, 0.312], [3, 3]);
  const rot = tf.tensor2d([1, 0, 0, 0, cos, sin, 0, -sin, cos], [3, 3]);
  const fromYiq = tf.tensor2d([1, 1, 1, 0.956, -0.272, -1.106, 0.621, -0.647, 1.703], [3, 3]);
  const m = tf.matMul(tf.matMul(toYiq, rot), fromYiq);
  return tf.reshape(tf.matMul(tf.reshape(x, [-1, 3]), m), x.shape);
}

/** Random brightness, contrast, saturation and hue, in a random order (torchvision ColorJitter). */
export function colorJitter(o: ColorJitterOptions): ImageTransform {
  if ((o.hue ?? 0) > 0.5 || (o.hue ?? 0) < 0) {
    throw new ImageShapeError(`colorJitter: hue must be in [0, 0.5], got ${o.hue}`);
  }
  return (x, rng) => {
    const ops: Array<(t: tf.Tensor3D) => tf.Tensor> = [];
    const factor = (v = 0) => uniform(rng, Math.max(0, 1 - v), 1 + v);
    if (o.brightness) {
      const f = factor(o.brightness);
      ops.push((t) => tf.mul(t, f));
    }
    if (o.contrast) {
      const f = factor(o.contrast);
      ops.push((t) => tf.add(tf.mul(t, f), tf.mul(tf.mean(gray(t)), 1 - f)));
    }
    if (o.saturation && x.shape[2] === 3) {
      const f = factor(o.saturation);
      ops.push((t) => tf.add(tf.mul(t, f), tf.mul(gray(t), 1 - f)));
    }
    if (o.hue && x.shape[2] === 3) {
      const turns = uniform(rng, -o.hue, o.hue);
      ops.push((t) => rotateHue(t, turns));
    }
    const order = rng.permutation(ops.length);
    return tf.tidy(() => {
      let y: tf.Tensor3D = x;
      for (const i of order) y = tf.clipByValue(ops[i]!(y), 0, 1) as tf.Tensor3D;
      return y === x ? tf.clone(x) : y;
    });
  };
}

/** Rotation by an angle drawn from [−degrees, degrees] about the centre; corners filled with `fill`. */
export function randomRotation(degrees: number, fill = 0): ImageTransform {
  return (x, rng) => {
    const angle = (uniform(rng, -degrees, degrees) * Math.PI) / 180;
    return tf.tidy(() =>
      tf.squeeze(tf.image.rotateWithOffset(tf.expandDims(x, 0) as tf.Tensor4D, angle, fill), [0]),
    );
  };
}

/** Per-channel (x − mean) / std as a transform. */
export function normalizeTransform(mean: number[], std: number[]): ImageTransform {
  return (x) => normalizeOp(x, mean, std);
}

/** Applies a per-image transform to every image of an NHWC batch. */
export function augmentBatch(x: tf.Tensor4D, transform: ImageTransform, rng: Rng): tf.Tensor4D {
  const images = tf.unstack(x) as tf.Tensor3D[];
  const out = images.map((img) => transform(img, rng));
  const stacked = tf.stack(out) as tf.Tensor4D;
  tf.dispose([...images, ...out]);
  return stacked;
}
