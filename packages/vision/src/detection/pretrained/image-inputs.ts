/**
 * The images a detector runs on, from what a user points at: a folder (searched recursively), an
 * image manifest in JSON Lines (what `pnpm scrape` writes as `images/manifest.jsonl`: one object
 * per line whose `file` is relative to the manifest's folder), or one image file. Manifest rows
 * that are not raster images (SVG, icons, unknown types saved as .bin) are skipped and counted.
 *
 *   const { files, skipped } = listDetectionImages('storage/shop/1/images/manifest.jsonl');
 *   const { files } = listDetectionImages('photos');   // absolute paths, sorted
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import { PathError } from '@dlpipe/core';
import { DatasetError } from '../../errors.js';
import { DETECTION_IMAGE_EXTENSIONS, listImages } from '../formats/image-files.js';

export interface DetectionImageList {
  kind: 'folder' | 'manifest' | 'image';
  /** Absolute paths, without duplicates. */
  files: string[];
  /** Manifest rows left out, with why. */
  skipped: { file: string; reason: string }[];
}

const EXTENSIONS = DETECTION_IMAGE_EXTENSIONS.join(', ');
const isImageName = (p: string) => DETECTION_IMAGE_EXTENSIONS.includes(extname(p).toLowerCase());

/** The image files of a folder, a .jsonl image manifest or a single image. */
export function listDetectionImages(path: string): DetectionImageList {
  let st: ReturnType<typeof statSync>;
  try {
    st = statSync(path);
  } catch {
    throw new PathError(
      path,
      'no such folder or file; expected a folder of images, an image manifest (.jsonl) or an image',
    );
  }
  if (st.isDirectory()) {
    const files = listImages(path).map((f) => resolve(path, f));
    if (files.length === 0)
      throw new DatasetError(path, `no images (${EXTENSIONS}) in this folder or below it`);
    return { kind: 'folder', files, skipped: [] };
  }
  if (path.toLowerCase().endsWith('.jsonl')) return readManifest(path);
  if (isImageName(path)) return { kind: 'image', files: [resolve(path)], skipped: [] };
  throw new DatasetError(
    path,
    `not a folder, an image manifest (.jsonl) or an image (${EXTENSIONS}); pass a folder of images or the scraper's images/manifest.jsonl`,
  );
}

/** Reads the `file` of each manifest row; a row without one, or naming a missing file, is an error. */
function readManifest(path: string): DetectionImageList {
  const dir = dirname(resolve(path));
  const files = new Set<string>();
  const skipped: DetectionImageList['skipped'] = [];
  const lines = readFileSync(path, 'utf8').split('\n');
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    const where = `${path}:${i + 1}`;
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch (err) {
      throw new DatasetError(
        where,
        `not a JSON object (${(err as Error).message}); expected one row per line`,
      );
    }
    const file = (row as { file?: unknown } | null)?.file;
    if (typeof file !== 'string' || file === '')
      throw new DatasetError(
        where,
        'no "file" field; expected image manifest rows like {"file": "ab12….jpg", …}',
      );
    const abs = resolve(dir, file);
    if (!isImageName(file))
      skipped.push({ file: abs, reason: `not a raster image (${extname(file) || 'no extension'})` });
    else if (!existsSync(abs))
      throw new DatasetError(
        where,
        `image ${join(dir, file)} does not exist; the manifest's files are relative to its folder`,
      );
    else files.add(abs);
  });
  if (files.size === 0) {
    throw new DatasetError(
      path,
      `no images in the manifest (${skipped.length} rows that are not raster images)`,
    );
  }
  return { kind: 'manifest', files: [...files], skipped };
}
