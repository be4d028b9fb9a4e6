/**
 * Writes reviewed boxes (or pseudo-boxes) as a detection set in the layout `generateDetectionSet`
 * writes and `loadDetectionSet` reads, so detectors train on it like on the synthetic sets:
 *
 *   out/images/{train,val}/000001-dog.jpg …   labels/{train,val}/000001-dog.txt …
 *   out/annotations/{train,val}.json   (COCO; each image also names its `source` file)   data.yaml
 *
 * Images are copied; the split is fixed by a hash of each image's path (the same image lands in
 * the same split on every export), `valFraction` of them in val (at least one when there are two
 * or more). The set is written in a temporary sibling folder and renamed at the end.
 *
 *   await writeBoxSet({ classNames: ['dog'], images: [{ source: '/photos/dog.jpg',
 *     boxes: [{ x1: 125, y1: 208, x2: 313, y2: 542, classId: 0 }] }] }, { out: 'datasets/dogs' });
 *   loadDetectionSet('datasets/dogs', 'train');
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { ensureDir, OptionsError, PathError, tempPathFor, zodMessage } from '@dlpipe/core';
import { z } from 'zod';
import { DatasetError } from '../../errors.js';
import { type DetectionBox, type DetectionImage, OUTSIDE_TOLERANCE } from '../formats/detection-set.js';
import { copyImage, imageSize } from '../formats/image-files.js';
import { yoloLabelText } from '../formats/yolo-txt.js';
import { synthDataYaml } from '../synth/set-files.js';
import type { DetectionSplit } from '../synth/write-set.js';

/** Boxes per image file, class ids into `classNames` (label's `boxSetOf` gives this shape). */
export interface BoxSetInput {
  classNames: string[];
  images: { source: string; boxes: DetectionBox[] }[];
}

export interface WriteBoxSetOptions {
  /** The set's folder (created; its parent folders too). */
  out: string;
  /** Share of the images in val. Default 0.2. */
  valFraction?: number;
  /** Replace an existing non-empty `out`. Default false. */
  overwrite?: boolean;
}

const optionsSchema = z.object({
  out: z.string().min(1),
  valFraction: z.number().min(0).max(1).default(0.2),
  overwrite: z.boolean().default(false),
});

export interface WriteBoxSetReport {
  out: string;
  counts: Record<DetectionSplit, { images: number; boxes: number }>;
}

/** Refuses an output that is a file, or a non-empty folder without `overwrite`; makes its parent. */
export function checkBoxSetOut(out: string, overwrite = false): void {
  if (existsSync(out)) {
    if (!statSync(out).isDirectory())
      throw new PathError(out, 'is a file; expected a folder for the detection set');
    if (!overwrite && readdirSync(out).length > 0)
      throw new PathError(out, 'exists and is not empty; pass --overwrite to replace it, or another folder');
  }
  try {
    ensureDir(dirname(out), "detection set's parent folder");
  } catch (err) {
    // name the set's folder, not its parent, so the message points at the argument given
    if (err instanceof PathError)
      throw new PathError(out, err.message.slice(err.path.length + 2), { cause: err });
    throw err;
  }
}

/** The split of each image: sorted by a hash of its path, the first `valFraction` go to val. */
export function splitByHash(sources: string[], valFraction: number): DetectionSplit[] {
  const hash = (s: string) => createHash('sha1').update(s).digest('hex');
  const order = sources.map((s, i) => ({ i, h: hash(s) })).sort((a, b) => (a.h < b.h ? -1 : 1));
  const want = Math.round(sources.length * valFraction);
  const nVal = sources.length >= 2 && valFraction > 0 ? Math.min(Math.max(want, 1), sources.length - 1) : 0;
  const splits: DetectionSplit[] = sources.map(() => 'train');
  for (const { i } of order.slice(0, nVal)) splits[i] = 'val';
  return splits;
}

/** Writes the set; see the file's header. */
export async function writeBoxSet(set: BoxSetInput, options: WriteBoxSetOptions): Promise<WriteBoxSetReport> {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) throw new OptionsError(zodMessage('writeBoxSet', parsed.error));
  const { out, valFraction, overwrite } = parsed.data;
  checkBoxSetOut(out, overwrite);
  if (set.images.length === 0) throw new DatasetError(out, 'no images with boxes to write');
  const images = await sizedImages(set);
  const splits = splitByHash(
    images.map((im) => im.source ?? im.file),
    valFraction,
  );
  const tmp = tempPathFor(out);
  const counts = { train: { images: 0, boxes: 0 }, val: { images: 0, boxes: 0 } };
  try {
    for (const split of ['train', 'val'] as const) {
      const part = images.filter((_, i) => splits[i] === split);
      await writeSplit(tmp, split, part, set.classNames);
      counts[split] = { images: part.length, boxes: part.reduce((n, im) => n + im.boxes.length, 0) };
    }
    await writeFile(join(tmp, 'data.yaml'), synthDataYaml(set.classNames));
    if (existsSync(out)) await rm(out, { recursive: true, force: true });
    await rename(tmp, out);
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    throw err;
  }
  return { out, counts };
}

/** Each image with its size from its header, a unique file name, and boxes checked against the size. */
async function sizedImages(set: BoxSetInput): Promise<Required<DetectionImage>[]> {
  const out: Required<DetectionImage>[] = [];
  for (const [i, im] of set.images.entries()) {
    const { width, height } = await imageSize(im.source);
    for (const b of im.boxes) {
      const inside =
        b.x1 >= -OUTSIDE_TOLERANCE && b.y1 >= -OUTSIDE_TOLERANCE && b.x2 <= width + OUTSIDE_TOLERANCE;
      if (
        !inside ||
        b.y2 > height + OUTSIDE_TOLERANCE ||
        b.classId < 0 ||
        b.classId >= set.classNames.length
      ) {
        throw new DatasetError(
          im.source,
          `box (${b.x1}, ${b.y1}, ${b.x2}, ${b.y2}) of class ${b.classId} does not fit the ${width}×${height} image or the ${set.classNames.length} classes; was the image replaced?`,
        );
      }
    }
    const file = `${String(i + 1).padStart(6, '0')}-${basename(im.source, extname(im.source))}${extname(im.source).toLowerCase()}`;
    out.push({ file, width, height, boxes: im.boxes, source: im.source });
  }
  return out;
}

async function writeSplit(
  dir: string,
  split: DetectionSplit,
  images: Required<DetectionImage>[],
  names: string[],
) {
  await mkdir(join(dir, 'images', split), { recursive: true });
  await mkdir(join(dir, 'labels', split), { recursive: true });
  await mkdir(join(dir, 'annotations'), { recursive: true });
  for (const im of images) {
    if (!copyImage(im.source, join(dir, 'images', split, im.file)))
      throw new DatasetError(im.source, 'image file is gone; it was there when its boxes were recorded');
    await writeFile(join(dir, 'labels', split, `${im.file.replace(/\.[^.]+$/, '')}.txt`), yoloLabelText(im));
  }
  await writeFile(join(dir, 'annotations', `${split}.json`), cocoText(images, names));
}

const r4 = (v: number) => Math.round(v * 1e4) / 1e4;

/** COCO JSON, one line per image, annotation and category (ids from 1, bbox [x, y, w, h]). */
function cocoText(images: Required<DetectionImage>[], names: string[]): string {
  let id = 0;
  const imgs = images.map((im, i) => ({
    id: i + 1,
    file_name: im.file,
    width: im.width,
    height: im.height,
    source: im.source,
  }));
  const anns = images.flatMap((im, i) =>
    im.boxes.map((b) => {
      const [w, h] = [r4(b.x2 - b.x1), r4(b.y2 - b.y1)];
      return {
        id: ++id,
        image_id: i + 1,
        category_id: b.classId + 1,
        bbox: [b.x1, b.y1, w, h],
        area: r4(w * h),
        iscrowd: 0,
      };
    }),
  );
  const cats = names.map((name, k) => ({ id: k + 1, name }));
  const lines = (xs: unknown[]) => xs.map((x) => `    ${JSON.stringify(x)}`).join(',\n');
  return `{\n  "images": [\n${lines(imgs)}\n  ],\n  "annotations": [\n${lines(anns)}\n  ],\n  "categories": [\n${lines(cats)}\n  ]\n}\n`;
}
