/**
 * The one internal detection format every reader returns and every writer takes: class names,
 * and per image its file, size and boxes in corner pixel coordinates (x1, y1) – (x2, y2), x to the
 * right and y down from the image's top-left corner (COCO's `[x, y, w, h]` is x1 = x, x2 = x + w).
 *
 *   const set: DetectionSet = { classNames: ['banana'], images: [
 *     { file: 'a.jpg', width: 256, height: 256, boxes: [{ x1: 10, y1: 20, x2: 60, y2: 90, classId: 0 }] } ] };
 *   checkDetectionSet(set, log, (i) => `labels/${i}.txt`); // box outside the image, unknown class, …
 */
import type { ProblemLog } from './annotation-error.js';

export interface DetectionBox {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  /** Index into `classNames`. */
  classId: number;
  /** A crowd region (COCO `iscrowd`). */
  iscrowd?: boolean;
  /** Pascal VOC's `difficult`. */
  difficult?: boolean;
}

export interface DetectionImage {
  /** The image's path relative to the dataset's image folder (`images/`, `JPEGImages/`). */
  file: string;
  width: number;
  height: number;
  boxes: DetectionBox[];
  /** Where the image file is on disk, when known (writers copy it from there). */
  source?: string;
}

export interface DetectionSet {
  classNames: string[];
  images: DetectionImage[];
}

/** How far (pixels) a box may stick out of its image before it is a problem (float rounding). */
export const OUTSIDE_TOLERANCE = 0.01;

/** Where a box came from, for messages: a file and a line or field. */
export type BoxOrigin = (image: number, box: number) => { file: string; line?: number; field?: string };

/** Logs boxes with negative width/height, outside their image, or of an unknown class. */
export function checkDetectionSet(set: DetectionSet, log: ProblemLog, origin: BoxOrigin): void {
  const K = set.classNames.length;
  set.images.forEach((im, i) => {
    im.boxes.forEach((b, j) => {
      const { file, ...where } = origin(i, j);
      const box = `box (${[b.x1, b.y1, b.x2, b.y2].map((v) => +v.toFixed(2)).join(', ')})`;
      if (![b.x1, b.y1, b.x2, b.y2].every(Number.isFinite))
        log.add(file, `${box}: not finite numbers`, where);
      else if (b.x2 < b.x1 || b.y2 < b.y1) log.add(file, `${box}: negative width or height`, where);
      else if (
        b.x1 < -OUTSIDE_TOLERANCE ||
        b.y1 < -OUTSIDE_TOLERANCE ||
        b.x2 > im.width + OUTSIDE_TOLERANCE ||
        b.y2 > im.height + OUTSIDE_TOLERANCE
      )
        log.add(file, `${box} is outside the ${im.width}×${im.height} image ${im.file}`, where);
      if (!Number.isInteger(b.classId) || b.classId < 0 || b.classId >= K)
        log.add(file, `unknown class ${b.classId} (${K} classes: 0–${K - 1})`, where);
    });
  });
}

/** A box's COCO `[x, y, w, h]`. */
export function toXywh(b: DetectionBox): [number, number, number, number] {
  return [b.x1, b.y1, b.x2 - b.x1, b.y2 - b.y1];
}
