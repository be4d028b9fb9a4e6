/**
 * Reading, writing and converting detection datasets by format name: `coco` (a JSON file),
 * `voc` (a folder with Annotations/ and JPEGImages/), `yolo` (a folder with images/, labels/ and
 * classes.txt/data.yaml). Folder outputs are written to a temporary sibling and renamed at the
 * end, so a failed conversion leaves nothing behind; images are copied unless `copyImages: false`.
 *
 *   const r = await convertDetections({ from: 'coco', to: 'yolo', input: 'ann.json', output: 'out/yolo' });
 *   // { images: 120, boxes: 845, skippedCrowd: 3, copiedImages: 120 }
 */
import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { checkOutputFile, ensureDir, PathError } from '@dlpipe/core';
import { AnnotationError } from './annotation-error.js';
import { readCocoDetections, writeCocoDetections } from './coco-json.js';
import type { DetectionSet } from './detection-set.js';
import { copyImage } from './image-files.js';
import { readVocDetections, writeVocAnnotations } from './voc-xml.js';
import { readYoloDetections, writeYoloLabels } from './yolo-txt.js';

export const DETECTION_FORMATS = ['coco', 'voc', 'yolo'] as const;
export type DetectionFormat = (typeof DETECTION_FORMATS)[number];

export interface ReadDetectionsOptions {
  /** COCO: the folder `file_name` is relative to (default: `images/` beside the JSON, else its folder). */
  imagesDir?: string;
  /** VOC: class names in id order (default: the names found, sorted). */
  classNames?: string[];
}

/** Reads a dataset of `format` at `path` (a COCO file, a VOC or YOLO folder). */
export async function readDetections(
  format: DetectionFormat,
  path: string,
  options: ReadDetectionsOptions = {},
): Promise<DetectionSet> {
  if (format === 'coco') return readCocoDetections(path, options);
  if (format === 'voc') return readVocDetections(path, options);
  return readYoloDetections(path);
}

export interface WriteDetectionsOptions {
  /** Copy the image files into the output (VOC/YOLO; default true; needs every image's `source`). */
  copyImages?: boolean;
}

export interface WriteDetectionsReport {
  images: number;
  boxes: number;
  /** Crowd boxes YOLO cannot hold. */
  skippedCrowd: number;
  copiedImages: number;
}

/** Checks that `out` can become the output folder: missing, or an empty folder. */
function checkOutputDir(out: string): void {
  if (!existsSync(out)) return;
  if (!statSync(out).isDirectory())
    throw new PathError(out, 'is a file; expected a folder to write the dataset into');
  if (readdirSync(out).length > 0) throw new PathError(out, 'is not empty; give a new or empty folder');
}

/** Writes `set` as `format` to `out` (a .json file for COCO, a folder otherwise). */
export async function writeDetections(
  format: DetectionFormat,
  set: DetectionSet,
  out: string,
  options: WriteDetectionsOptions = {},
): Promise<WriteDetectionsReport> {
  const boxes = set.images.reduce((n, im) => n + im.boxes.length, 0);
  const crowd = set.images.reduce((n, im) => n + im.boxes.filter((b) => b.iscrowd).length, 0);
  const report = {
    images: set.images.length,
    boxes,
    skippedCrowd: format === 'yolo' ? crowd : 0,
    copiedImages: 0,
  };
  if (format === 'coco') {
    checkOutputFile(out, 'COCO JSON output');
    await writeCocoDetections(set, out);
    return report;
  }
  checkOutputDir(out);
  const copy = options.copyImages ?? true;
  if (copy) {
    const missing = set.images.filter((im) => !im.source || !existsSync(im.source));
    if (missing.length > 0)
      throw new AnnotationError(
        out,
        missing.map((im) => ({
          file: im.source ?? im.file,
          message: 'missing image file (or convert with copyImages: false / --labels-only)',
        })),
      );
  }
  const tmp = `${out.replace(/\/+$/, '')}.tmp-${process.pid}`;
  ensureDir(tmp, 'output folder');
  try {
    const imgDir = format === 'voc' ? 'JPEGImages' : 'images';
    if (copy)
      for (const im of set.images)
        if (copyImage(im.source, join(tmp, imgDir, im.file))) report.copiedImages++;
    if (format === 'voc') writeVocAnnotations(set, tmp);
    else writeYoloLabels(set, tmp);
    if (existsSync(out)) rmSync(out, { recursive: true }); // an empty folder (checked above)
    renameSync(tmp, out);
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
  return report;
}

export interface ConvertDetectionsOptions extends ReadDetectionsOptions, WriteDetectionsOptions {
  from: DetectionFormat;
  to: DetectionFormat;
  input: string;
  output: string;
}

/** Reads `input` as `from` and writes it as `to`; checks the output before reading. */
export async function convertDetections(o: ConvertDetectionsOptions): Promise<WriteDetectionsReport> {
  if (o.to === 'coco') checkOutputFile(o.output, 'COCO JSON output');
  else checkOutputDir(o.output);
  const set = await readDetections(o.from, o.input, o);
  return writeDetections(o.to, set, o.output, o);
}
