/**
 * Decoding images with sharp (libvips): JPEG, PNG, WebP, GIF (first frame), TIFF, AVIF into raw
 * HWC pixels, with EXIF orientation applied, RGB/grayscale conversion, alpha flattened, kept or
 * dropped, 8- or 16-bit samples, and an optional resize (exact, keep-aspect + pad, or cover).
 *
 *   const img = await decodeImage('cat.jpg', { channels: 3, resize: { width: 224, height: 224, fit: 'contain' } });
 *   img.data; // Uint8Array, img.height × img.width × 3
 */
import { readFile, stat } from 'node:fs/promises';
import sharp, { type Metadata } from 'sharp';
import { ImageDecodeError } from '../errors.js';

/** How a resize fits the image into width × height. */
export type ResizeFit = 'exact' | 'contain' | 'cover';

export interface ResizeOptions {
  width: number;
  height: number;
  /** 'exact' stretches, 'contain' keeps the aspect and pads, 'cover' keeps the aspect and crops the centre. Default 'exact'. */
  fit?: ResizeFit;
  /** Padding colour for 'contain', 0..255 per channel. Default black. */
  background?: [number, number, number];
}

export interface DecodeOptions {
  /** 1 (grayscale), 3 (RGB), 4 (RGBA) or 'keep' (as stored, alpha included). Default 3. */
  channels?: 1 | 3 | 4 | 'keep';
  /** With 1 or 3 channels, what happens to an alpha channel: composite over `background` or drop it. Default 'flatten'. */
  alpha?: 'flatten' | 'drop';
  /** Colour behind transparent pixels when flattening, 0..255. Default white [255,255,255]. */
  background?: [number, number, number];
  /** 'uint8' always, or 'keep' (16-bit images stay 16-bit). Default 'uint8'. */
  depth?: 'uint8' | 'keep';
  /** Resize after orientation. Default: none. */
  resize?: ResizeOptions;
  /** Refuse images with more pixels than this (decompression bombs, 10000×10000 scans). Default 50e6. */
  maxPixels?: number;
}

/** Raw pixels in HWC order. */
export interface DecodedImage {
  data: Uint8Array | Uint16Array;
  width: number;
  height: number;
  channels: number;
  /** 8 or 16 bits per sample. */
  bits: 8 | 16;
  /** The container format sharp detected (jpeg, png, webp, gif, tiff, …). */
  format: string;
}

export const DEFAULT_MAX_PIXELS = 50_000_000;
const FIT: Record<ResizeFit, 'fill' | 'contain' | 'cover'> = {
  exact: 'fill',
  contain: 'contain',
  cover: 'cover',
};

/** Reads a file, refusing empty files with a clear message. */
async function readSource(source: string | Uint8Array, label: string): Promise<Uint8Array> {
  if (typeof source !== 'string') {
    if (source.length === 0) throw new ImageDecodeError(label, 'empty buffer (0 bytes): expected image data');
    return source;
  }
  let size: number;
  try {
    size = (await stat(source)).size;
  } catch (err) {
    throw new ImageDecodeError(source, `cannot read: ${(err as Error).message}`, { cause: err });
  }
  if (size === 0) {
    throw new ImageDecodeError(
      source,
      'zero-byte file: expected JPEG/PNG/WebP/GIF/TIFF data; re-download or delete it',
    );
  }
  return readFile(source);
}

/** Describes the first bytes of something that is not an image, for error messages. */
function sniff(buf: Uint8Array): string {
  const head = Buffer.from(buf.subarray(0, 16));
  const text = head.toString('latin1');
  const printable = [...head].every((b) => b === 9 || b === 10 || b === 13 || (b >= 32 && b < 127));
  return printable ? `text ${JSON.stringify(text)}` : `bytes ${head.toString('hex').slice(0, 24)}…`;
}

/** Decodes one image; any failure becomes an `ImageDecodeError` naming the file. */
export async function decodeImage(
  source: string | Uint8Array,
  options: DecodeOptions = {},
): Promise<DecodedImage> {
  const label = typeof source === 'string' ? source : '<buffer>';
  const buf = await readSource(source, label);
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  let meta: Metadata;
  try {
    meta = await sharp(buf, { limitInputPixels: false }).metadata();
  } catch (err) {
    throw new ImageDecodeError(
      label,
      `not a supported image (${sniff(buf)}): ${(err as Error).message}. Expected JPEG, PNG, WebP, GIF, TIFF or AVIF`,
      { cause: err },
    );
  }
  const w = meta.width ?? 0;
  const h = meta.height ?? 0;
  if (w * h > maxPixels) {
    throw new ImageDecodeError(
      label,
      `${w}×${h} = ${(w * h).toLocaleString('en')} pixels exceeds maxPixels ${maxPixels.toLocaleString('en')}; ` +
        'downscale the image first or raise maxPixels',
    );
  }
  return runPipeline(buf, meta, label, options);
}

async function runPipeline(
  buf: Uint8Array,
  meta: Metadata,
  label: string,
  o: DecodeOptions,
): Promise<DecodedImage> {
  const channels = o.channels ?? 3;
  const sixteen = o.depth === 'keep' && (meta.depth === 'ushort' || meta.depth === 'short');
  let p = sharp(buf, { limitInputPixels: false, failOn: 'error', pages: 1 }).autoOrient();
  if (channels !== 'keep' && channels !== 4 && meta.hasAlpha) {
    const [r, g, b] = o.background ?? [255, 255, 255];
    p = o.alpha === 'drop' ? p.removeAlpha() : p.flatten({ background: { r, g, b } });
  }
  if (channels === 1) p = p.toColourspace(sixteen ? 'grey16' : 'b-w');
  else if (channels !== 'keep') p = p.toColourspace(sixteen ? 'rgb16' : 'srgb');
  if (channels === 4) p = p.ensureAlpha();
  if (o.resize) {
    const [r, g, b] = o.resize.background ?? [0, 0, 0];
    p = p.resize(o.resize.width, o.resize.height, {
      fit: FIT[o.resize.fit ?? 'exact'],
      background: { r, g, b, alpha: 1 },
    });
  }
  try {
    const { data, info } = await p
      .raw({ depth: sixteen ? 'ushort' : 'uchar' })
      .toBuffer({ resolveWithObject: true });
    const pixels = sixteen
      ? new Uint16Array(data.buffer, data.byteOffset, data.byteLength / 2).slice()
      : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    return {
      data: pixels,
      width: info.width,
      height: info.height,
      channels: info.channels,
      bits: sixteen ? 16 : 8,
      format: meta.format ?? 'unknown',
    };
  } catch (err) {
    throw new ImageDecodeError(
      label,
      `corrupt or truncated ${meta.format ?? 'image'}: ${(err as Error).message}`,
      {
        cause: err,
      },
    );
  }
}
