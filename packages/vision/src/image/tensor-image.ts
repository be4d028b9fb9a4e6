/**
 * Images as tensors: decoded pixels → HWC tensors (uint8 as int32, or float in [0, 1]), files →
 * tensors in one call, and HWC/NHWC tensors back to PNG or JPEG.
 *
 *   const x = await readImage('cat.jpg', { dtype: 'float32', resize: { width: 96, height: 96 } }); // [96,96,3]
 *   await writeImage(x, 'out.png');
 */
import { writeFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { tf } from '@dlpipe/tensor';
import sharp from 'sharp';
import { ImageShapeError } from '../errors.js';
import { type DecodedImage, type DecodeOptions, decodeImage } from './decode.js';

export interface ReadImageOptions extends DecodeOptions {
  /** 'float32' scales to [0, 1] (16-bit by 65535); 'int32' keeps the raw sample values. Default 'float32'. */
  dtype?: 'float32' | 'int32';
}

/** Decoded pixels as an HWC tensor. */
export function imageToTensor(img: DecodedImage, dtype: 'float32' | 'int32' = 'float32'): tf.Tensor3D {
  const shape: [number, number, number] = [img.height, img.width, img.channels];
  if (dtype === 'int32') return tf.tensor3d(Int32Array.from(img.data), shape, 'int32');
  const scale = 1 / (img.bits === 16 ? 65535 : 255);
  const f = new Float32Array(img.data.length);
  for (let i = 0; i < f.length; i++) f[i] = img.data[i]! * scale;
  return tf.tensor3d(f, shape, 'float32');
}

/** Decodes an image file or buffer into an HWC tensor. */
export async function readImage(
  source: string | Uint8Array,
  options: ReadImageOptions = {},
): Promise<tf.Tensor3D> {
  return imageToTensor(await decodeImage(source, options), options.dtype ?? 'float32');
}

export interface EncodeOptions {
  /** Default 'png'. */
  format?: 'png' | 'jpeg';
  /** JPEG quality 1..100. Default 90. */
  quality?: number;
  /** How float values map to bytes: [0, 1] (default) or [0, 255]. Int tensors are taken as 0..255. */
  range?: 1 | 255;
}

/** HWC pixels as uint8 (clipped, rounded) with their shape; accepts [H,W], [H,W,C] or [1,H,W,C]. */
export function tensorToPixels(x: tf.Tensor, range: 1 | 255 = 1): DecodedImage {
  const shape = x.shape[0] === 1 && x.rank === 4 ? x.shape.slice(1) : x.shape;
  const [h, w, c = 1] = shape;
  if (shape.length < 2 || shape.length > 3 || h === undefined || w === undefined || ![1, 3, 4].includes(c)) {
    throw new ImageShapeError(
      `cannot encode a tensor of shape [${x.shape}]: expected [H,W], [H,W,C] or [1,H,W,C] with C = 1, 3 or 4`,
    );
  }
  const scale = x.dtype === 'float32' && range === 1 ? 255 : 1;
  const src = x.dataSync();
  const data = new Uint8Array(src.length);
  for (let i = 0; i < src.length; i++) data[i] = Math.max(0, Math.min(255, Math.round(src[i]! * scale)));
  return { data, width: w, height: h, channels: c, bits: 8, format: 'raw' };
}

/** Encodes pixels (or a tensor) as PNG or JPEG bytes. */
export async function encodeImage(
  img: tf.Tensor | DecodedImage,
  options: EncodeOptions = {},
): Promise<Buffer> {
  const px = img instanceof tf.Tensor ? tensorToPixels(img, options.range) : img;
  if (px.bits === 16 && options.format === 'jpeg') {
    throw new ImageShapeError('JPEG holds 8-bit samples only; encode 16-bit images as PNG');
  }
  const raw = sharp(px.data, {
    raw: { width: px.width, height: px.height, channels: px.channels as 1 | 3 | 4 },
  });
  const grey = px.channels <= 2;
  const space = px.bits === 16 ? (grey ? 'grey16' : 'rgb16') : grey ? 'b-w' : 'srgb';
  if (options.format === 'jpeg')
    return raw
      .toColourspace(space)
      .jpeg({ quality: options.quality ?? 90 })
      .toBuffer();
  return raw.toColourspace(space).png().toBuffer();
}

/** Writes a tensor as an image; the format follows the extension (.png, .jpg/.jpeg). */
export async function writeImage(
  img: tf.Tensor | DecodedImage,
  path: string,
  options: EncodeOptions = {},
): Promise<string> {
  const ext = extname(path).toLowerCase();
  const format = options.format ?? (ext === '.jpg' || ext === '.jpeg' ? 'jpeg' : 'png');
  await writeFile(path, await encodeImage(img, { ...options, format }));
  return path;
}
