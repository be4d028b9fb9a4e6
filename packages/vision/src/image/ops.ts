/**
 * Tensor image operations on HWC or NHWC float tensors: resize (exact or keep-aspect + pad),
 * crop, center crop and per-channel normalization (torchvision's `Normalize(mean, std)`).
 *
 *   const y = normalize(centerCrop(resize(x, [256, 256]), [224, 224]), IMAGENET_MEAN, IMAGENET_STD);
 */
import { tf } from '@dlpipe/tensor';
import { ImageShapeError } from '../errors.js';

export const IMAGENET_MEAN = [0.485, 0.456, 0.406];
export const IMAGENET_STD = [0.229, 0.224, 0.225];

function hw(x: tf.Tensor): [number, number] {
  if (x.rank !== 3 && x.rank !== 4) {
    throw new ImageShapeError(`expected an HWC or NHWC image tensor, got shape [${x.shape}]`);
  }
  const s = x.rank === 3 ? x.shape : x.shape.slice(1);
  return [s[0]!, s[1]!];
}

/** Bilinear resize to exactly [height, width] (torchvision `Resize((h, w))`, antialias off). */
export function resize<T extends tf.Tensor3D | tf.Tensor4D>(x: T, size: [number, number]): T {
  hw(x);
  return tf.image.resizeBilinear(x, size, false, true) as T;
}

/** Resize keeping the aspect ratio so the image fits in [height, width], then pad with `value`. */
export function resizeContain<T extends tf.Tensor3D | tf.Tensor4D>(
  x: T,
  size: [number, number],
  value = 0,
): T {
  const [h, w] = hw(x);
  const s = Math.min(size[0] / h, size[1] / w);
  const nh = Math.max(1, Math.round(h * s));
  const nw = Math.max(1, Math.round(w * s));
  return tf.tidy(() => {
    const r = tf.image.resizeBilinear(x, [nh, nw], false, true);
    const top = Math.floor((size[0] - nh) / 2);
    const left = Math.floor((size[1] - nw) / 2);
    const pad: Array<[number, number]> = [
      [top, size[0] - nh - top],
      [left, size[1] - nw - left],
      [0, 0],
    ];
    return tf.pad(r, x.rank === 4 ? [[0, 0], ...pad] : pad, value) as T;
  });
}

/** The [height, width] window at (top, left). */
export function crop<T extends tf.Tensor3D | tf.Tensor4D>(
  x: T,
  top: number,
  left: number,
  size: [number, number],
): T {
  const [h, w] = hw(x);
  if (top < 0 || left < 0 || top + size[0] > h || left + size[1] > w) {
    throw new ImageShapeError(
      `crop ${size[0]}×${size[1]} at (${top}, ${left}) does not fit in a ${h}×${w} image; resize first`,
    );
  }
  return x.rank === 3
    ? (tf.slice(x, [top, left, 0], [size[0], size[1], -1]) as T)
    : (tf.slice(x, [0, top, left, 0], [-1, size[0], size[1], -1]) as T);
}

/** The centred [height, width] window (torchvision `CenterCrop`, same rounding). */
export function centerCrop<T extends tf.Tensor3D | tf.Tensor4D>(x: T, size: [number, number]): T {
  const [h, w] = hw(x);
  return crop(x, Math.round((h - size[0]) / 2), Math.round((w - size[1]) / 2), size);
}

/** (x − mean) / std per channel; mean and std have one value per channel (or one for all). */
export function normalize<T extends tf.Tensor>(x: T, mean: number[], std: number[]): T {
  const c = x.shape[x.rank - 1]!;
  for (const [name, v] of [
    ['mean', mean],
    ['std', std],
  ] as const) {
    if (v.length !== c && v.length !== 1) {
      throw new ImageShapeError(`normalize: ${name} has ${v.length} values but the image has ${c} channels`);
    }
  }
  if (std.some((s) => !(s > 0))) throw new ImageShapeError(`normalize: std must be > 0, got [${std}]`);
  return tf.tidy(() => tf.div(tf.sub(x, tf.tensor1d(mean)), tf.tensor1d(std)) as T);
}

/** Test-time transform: resize the shorter side to `resizeTo`, then center-crop `size` (torchvision's eval pipeline). */
export function resizeCenterCrop<T extends tf.Tensor3D | tf.Tensor4D>(
  x: T,
  resizeTo: number,
  size: [number, number],
): T {
  const [h, w] = hw(x);
  const s = resizeTo / Math.min(h, w);
  return tf.tidy(() =>
    centerCrop(resize(x, [Math.max(size[0], Math.round(h * s)), Math.max(size[1], Math.round(w * s))]), size),
  );
}
