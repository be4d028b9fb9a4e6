/**
 * d2l §14.7.3's figure: images with their detected boxes drawn and each box's score (and class
 * name, when there are several classes) on a label at its top-left corner, as a PNG grid.
 *
 *   const found = await det.detect(images, { scoreThreshold: 0.9 });
 *   await writeDetectionFigure(images, found, 'runs/ssd/detections.png', { classNames: ['banana'] });
 */
import { writeFile } from 'node:fs/promises';
import { OptionsError, zodMessage } from '@dlpipe/core';
import { tf } from '@dlpipe/tensor';
import sharp, { type OverlayOptions } from 'sharp';
import { z } from 'zod';
import { encodeImage } from '../../image/tensor-image.js';
import { DetectionError } from '../boxes/errors.js';
import type { Detection } from '../model/detector.js';

export interface DetectionFigureOptions {
  /** Tiles per row. Default 4. */
  columns?: number;
  /** Tile side in pixels (images are scaled to it). Default 256. */
  tile?: number;
  /** Boxes scoring below this are not drawn. Default 0.9 (d2l's `threshold`). */
  minScore?: number;
  /** Class names by id; with more than one, labels read `name 0.97`. */
  classNames?: string[];
  /** Pixels between tiles. Default 4. */
  gap?: number;
}

export const detectionFigureOptionsSchema = z.strictObject({
  columns: z.number().int().positive().optional(),
  tile: z.number().int().min(16).max(4096).optional(),
  minScore: z.number().min(0).optional(),
  classNames: z.array(z.string()).optional(),
  gap: z.number().int().min(0).optional(),
});

const COLORS = ['#e6194b', '#3cb44b', '#4363d8', '#f58231', '#911eb4', '#42d4f4', '#f032e6', '#9a6324'];

const escapeXml = (s: string) => s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** One tile's overlay: a rectangle and a score label per detection. */
function overlaySvg(dets: Detection[], tile: number, o: DetectionFigureOptions): string {
  const named = (o.classNames?.length ?? 0) > 1;
  const parts = dets.map((d) => {
    const [x1, y1, x2, y2] = d.box.map((v) => v * tile) as [number, number, number, number];
    const color = COLORS[d.classId % COLORS.length];
    const text = `${named ? `${o.classNames?.[d.classId] ?? d.classId} ` : ''}${d.score.toFixed(2)}`;
    const w = 7 * text.length + 6;
    const ty = Math.max(0, y1 - 15);
    return (
      `<rect x="${x1}" y="${y1}" width="${x2 - x1}" height="${y2 - y1}" fill="none" stroke="${color}" stroke-width="2"/>` +
      `<rect x="${x1}" y="${ty}" width="${w}" height="15" fill="${color}"/>` +
      `<text x="${x1 + 3}" y="${ty + 11.5}" font-family="DejaVu Sans, sans-serif" font-size="11" fill="#fff">${escapeXml(text)}</text>`
    );
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${tile}" height="${tile}">${parts.join('')}</svg>`;
}

/** Renders NHWC images in [0, 1] with `detections[i]` drawn on image i, as one PNG. */
export async function detectionFigure(
  images: tf.Tensor4D,
  detections: Detection[][],
  options: DetectionFigureOptions = {},
): Promise<Buffer> {
  const r = detectionFigureOptionsSchema.safeParse(options);
  if (!r.success) throw new OptionsError(zodMessage('detectionFigure options', r.error));
  const n = images.shape[0];
  if (n === 0 || detections.length !== n) {
    throw new DetectionError(
      `detectionFigure: expected one list of detections per image, received ${detections.length} lists for ${n} images`,
    );
  }
  const cols = Math.min(options.columns ?? 4, n);
  const tile = options.tile ?? 256;
  const gap = options.gap ?? 4;
  const minScore = options.minScore ?? 0.9;
  const composites: OverlayOptions[] = [];
  const parts = tf.unstack(images);
  try {
    for (let i = 0; i < n; i++) {
      const clipped = tf.clipByValue(parts[i] as tf.Tensor3D, 0, 1);
      const png = await encodeImage(clipped);
      clipped.dispose();
      const left = gap + (i % cols) * (tile + gap);
      const top = gap + Math.floor(i / cols) * (tile + gap);
      composites.push({
        input: await sharp(png).resize(tile, tile, { fit: 'fill' }).png().toBuffer(),
        left,
        top,
      });
      const shown = (detections[i] ?? []).filter((d) => d.score >= minScore);
      composites.push({ input: Buffer.from(overlaySvg(shown, tile, options)), left, top });
    }
  } finally {
    tf.dispose(parts);
  }
  const rows = Math.ceil(n / cols);
  return sharp({
    create: {
      width: cols * (tile + gap) + gap,
      height: rows * (tile + gap) + gap,
      channels: 3,
      background: '#ffffff',
    },
  })
    .composite(composites)
    .png()
    .toBuffer();
}

/** `detectionFigure` written to `path`; returns the path. */
export async function writeDetectionFigure(
  images: tf.Tensor4D,
  detections: Detection[][],
  path: string,
  options: DetectionFigureOptions = {},
): Promise<string> {
  await writeFile(path, await detectionFigure(images, detections, options));
  return path;
}
