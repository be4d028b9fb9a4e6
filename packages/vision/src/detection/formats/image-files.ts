/**
 * Image files of a detection dataset: listing a folder's images, reading an image's size from
 * its header (sharp, without decoding the pixels), and copying images into an output dataset.
 *
 *   const files = listImages('data/yolo/images'); // ['a.jpg', 'sub/b.png'], relative, sorted
 *   const { width, height } = await imageSize('data/yolo/images/a.jpg');
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import sharp from 'sharp';
import { ImageDecodeError } from '../../errors.js';

/** Image files an annotation set may point to. */
export const DETECTION_IMAGE_EXTENSIONS = [
  '.jpg',
  '.jpeg',
  '.png',
  '.webp',
  '.gif',
  '.tif',
  '.tiff',
  '.avif',
  '.bmp',
];

/** Whether a file name ends in one of DETECTION_IMAGE_EXTENSIONS (case-insensitive). */
export const isDetectionImageName = (name: string) =>
  DETECTION_IMAGE_EXTENSIONS.some((e) => name.toLowerCase().endsWith(e));

/** Image files under `dir` (recursive), relative to it with '/' separators, sorted. */
export function listImages(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (isDetectionImageName(e.name)) out.push(relative(dir, p).split('\\').join('/'));
    }
  };
  walk(dir);
  return out.sort();
}

/** Width and height from the file's header; an `ImageDecodeError` when it is not an image. */
export async function imageSize(path: string): Promise<{ width: number; height: number }> {
  try {
    const m = await sharp(path, { limitInputPixels: false }).metadata();
    if (!m.width || !m.height) throw new ImageDecodeError(path, 'no width/height in its header');
    // EXIF orientations 5–8 swap the sides, as decodeImage's autoOrient does
    return (m.orientation ?? 1) >= 5
      ? { width: m.height, height: m.width }
      : { width: m.width, height: m.height };
  } catch (err) {
    if (err instanceof ImageDecodeError) throw err;
    throw new ImageDecodeError(path, `not a readable image: ${(err as Error).message}`, { cause: err });
  }
}

/** Copies `source` to `dest` (creating folders); false when the source does not exist. */
export function copyImage(source: string | undefined, dest: string): boolean {
  if (!source || !existsSync(source) || !statSync(source).isFile()) return false;
  mkdirSync(dirname(dest), { recursive: true });
  copyFileSync(source, dest);
  return true;
}
