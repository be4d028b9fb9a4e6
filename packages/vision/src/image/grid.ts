/**
 * A PNG grid of images (augmented samples, misclassified test images) with optional captions
 * below each tile (wrapped to the tile's width), composed with sharp.
 *
 *   await writeImageGrid(images, 'runs/x/preview.png', { columns: 8, captions });
 */
import { writeFile } from 'node:fs/promises';
import { tf } from '@dlpipe/tensor';
import sharp, { type OverlayOptions } from 'sharp';
import { ImageShapeError } from '../errors.js';
import { captionHeight, captionSvg, charsPerLine, wrapCaption } from './caption.js';
import { encodeImage } from './tensor-image.js';

export interface ImageGridOptions {
  /** Tiles per row. Default 8. */
  columns?: number;
  /** Tile size in pixels (images are scaled up or down to it). Default 96. */
  tile?: number;
  /** One caption per image, drawn under it: wrapped to the tile's width, '\n' starts a line. */
  captions?: string[];
  /** Caption font size in pixels. Default 11. */
  fontSize?: number;
  /** Most lines per caption (longer ones end in '…'). Default 3. */
  maxCaptionLines?: number;
  /** Pixels between tiles. Default 4. */
  gap?: number;
}

/** Renders NHWC float images in [0, 1] (any count) as one PNG. */
export async function imageGrid(images: tf.Tensor4D, options: ImageGridOptions = {}): Promise<Buffer> {
  const n = images.shape[0];
  if (n === 0) throw new ImageShapeError('imageGrid: no images to draw');
  const cols = Math.min(options.columns ?? 8, n);
  const tile = options.tile ?? 96;
  const gap = options.gap ?? 4;
  const fontSize = options.fontSize ?? 11;
  const maxChars = charsPerLine(tile - 2, fontSize);
  const lines = (options.captions ?? []).map((c) => wrapCaption(c, maxChars, options.maxCaptionLines ?? 3));
  const capH = captionHeight(Math.max(0, ...lines.map((l) => l.length)), fontSize);
  const rows = Math.ceil(n / cols);
  const width = cols * (tile + gap) + gap;
  const height = rows * (tile + capH + gap) + gap;
  const parts = tf.unstack(images);
  const composites: OverlayOptions[] = [];
  for (let i = 0; i < n; i++) {
    const clipped = tf.clipByValue(parts[i]!, 0, 1);
    const png = await encodeImage(clipped);
    clipped.dispose();
    const left = gap + (i % cols) * (tile + gap);
    const top = gap + Math.floor(i / cols) * (tile + capH + gap);
    const input = await sharp(png).resize(tile, tile, { kernel: 'nearest', fit: 'fill' }).png().toBuffer();
    composites.push({ input, left, top });
    const caption = lines[i];
    if (caption !== undefined && capH > 0) {
      const svg = captionSvg(caption, tile, capH, fontSize);
      composites.push({ input: Buffer.from(svg), left, top: top + tile });
    }
  }
  tf.dispose(parts);
  return sharp({ create: { width, height, channels: 3, background: '#ffffff' } })
    .composite(composites)
    .png()
    .toBuffer();
}

export async function writeImageGrid(
  images: tf.Tensor4D,
  path: string,
  options: ImageGridOptions = {},
): Promise<string> {
  await writeFile(path, await imageGrid(images, options));
  return path;
}
