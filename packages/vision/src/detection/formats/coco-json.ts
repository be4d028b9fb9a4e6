/**
 * COCO JSON ↔ `DetectionSet`: categories become class ids in file order, `[x, y, w, h]` boxes
 * become corners; written back with image ids 1…N, category ids 1…K and `area` = w·h.
 *
 *   const set = readCocoDetections('annotations.json', { imagesDir: 'images' });
 *   writeCocoDetections(set, 'out/annotations.json');
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { checkInputFile, writeFileAtomic } from '@dlpipe/core';
import { ProblemLog } from './annotation-error.js';
import { type CocoDataset, parseCocoDataset } from './coco-schema.js';
import { checkDetectionSet, type DetectionImage, type DetectionSet, toXywh } from './detection-set.js';

export interface ReadCocoOptions {
  /** The folder `file_name` is relative to (default: `images/` beside the JSON if it exists, else its folder). */
  imagesDir?: string;
}

/** The image folder of a COCO file. */
function imagesDirOf(path: string, o: ReadCocoOptions): string {
  if (o.imagesDir) return o.imagesDir;
  const beside = join(dirname(path), 'images');
  return existsSync(beside) ? beside : dirname(path);
}

/** A checked COCO dataset as a `DetectionSet`; problems go to `log`. */
export function cocoToDetectionSet(
  data: CocoDataset,
  file: string,
  log: ProblemLog,
  imagesDir?: string,
): DetectionSet {
  const classOf = new Map(data.categories.map((c, k) => [c.id, k]));
  const byImage = new Map<number, DetectionImage>();
  const images = data.images.map((im, i) => {
    if (im.width === undefined || im.height === undefined)
      log.add(file, 'width and height are required to convert', { field: `images.${i}` });
    if (typeof im.file_name !== 'string')
      log.add(file, 'required (expected a string)', { field: `images.${i}.file_name` });
    const name = String(im.file_name ?? im.id);
    const out: DetectionImage = {
      file: name,
      width: im.width ?? 0,
      height: im.height ?? 0,
      boxes: [],
      ...(imagesDir ? { source: join(imagesDir, name) } : {}),
    };
    byImage.set(im.id, out);
    return out;
  });
  const where: { image: number; field: string }[][] = images.map(() => []);
  const index = new Map(data.images.map((im, i) => [im.id, i]));
  data.annotations.forEach((a, j) => {
    const im = byImage.get(a.image_id);
    if (!im) return; // parseCocoDataset logged it
    const [x, y, w, h] = a.bbox;
    im.boxes.push({
      x1: x,
      y1: y,
      x2: x + w,
      y2: y + h,
      classId: classOf.get(a.category_id) ?? -1,
      ...(a.iscrowd ? { iscrowd: true } : {}),
    });
    where[index.get(a.image_id)!]!.push({ image: index.get(a.image_id)!, field: `annotations.${j}` });
  });
  const set: DetectionSet = { classNames: data.categories.map((c) => c.name), images };
  checkDetectionSet(set, log, (i, b) => ({ file, field: where[i]![b]!.field }));
  return set;
}

/** Reads a COCO JSON file; an `AnnotationError` lists every problem. */
export function readCocoDetections(path: string, options: ReadCocoOptions = {}): DetectionSet {
  checkInputFile(path, 'COCO JSON file');
  const log = new ProblemLog();
  const data = parseCocoDataset(readFileSync(path, 'utf8'), path, log);
  log.throwIfAny(path);
  const set = cocoToDetectionSet(data, path, log, imagesDirOf(path, options));
  log.throwIfAny(path);
  return set;
}

/** A `DetectionSet` as a COCO dataset (ids from 1, area = w·h). */
export function detectionSetToCoco(set: DetectionSet): CocoDataset {
  let id = 0;
  return {
    images: set.images.map((im, i) => ({
      id: i + 1,
      file_name: im.file,
      width: im.width,
      height: im.height,
    })),
    categories: set.classNames.map((name, k) => ({ id: k + 1, name })),
    annotations: set.images.flatMap((im, i) =>
      im.boxes.map((b) => {
        const bbox = toXywh(b);
        return {
          id: ++id,
          image_id: i + 1,
          category_id: b.classId + 1,
          bbox,
          area: bbox[2] * bbox[3],
          iscrowd: b.iscrowd ? 1 : 0,
        };
      }),
    ),
  };
}

/** Writes a COCO JSON file (atomically); images are not copied (`file_name` keeps their names). */
export async function writeCocoDetections(set: DetectionSet, path: string): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(detectionSetToCoco(set))}\n`);
}
