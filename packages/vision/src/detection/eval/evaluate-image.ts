/**
 * COCOeval's `evaluateImg`: greedy matching of one image's detections of one category (sorted by
 * score) to its GT boxes, at every IoU threshold, for one area range — crowd GT can absorb any
 * number of detections, a detection matched to an ignored GT (crowd, or outside the area range) is
 * ignored, and so is an unmatched detection whose own area is outside the range.
 *
 *   const e = evaluateImage(cell, { label: 'all', min: 0, max: 1e10 }, 100, params.iouThrs);
 *   e?.dtMatched[t * e.dtScores.length + d]; // 1 when detection d is a match at threshold t
 */
import type { CocoAreaRange } from './coco-params.js';

/** A GT annotation as evaluation sees it. */
export interface EvalGt {
  id: number;
  /** The annotation's `area` (w·h when it has none). */
  area: number;
  crowd: boolean;
}

/** A detection as evaluation sees it. */
export interface EvalDt {
  score: number;
  /** w·h of its box, as pycocotools' `loadRes`. */
  area: number;
}

/** One image × category: GT in file order, detections by score (stable) cut to the largest maxDet. */
export interface EvalCell {
  gts: EvalGt[];
  dts: EvalDt[];
  /** IoU, dts × gts row-major (`cocoBoxIou`); empty when either side is. */
  ious: Float64Array;
}

/** The matches of one image × category × area range (pycocotools' `evalImgs` entry). */
export interface ImageEval {
  dtScores: Float64Array;
  /** T×D: 1 where the detection matched a GT whose id is not 0 (pycocotools stores the id). */
  dtMatched: Uint8Array;
  /** T×D: 1 where the detection is ignored. */
  dtIgnore: Uint8Array;
  /** One per GT, in ignore-last order. */
  gtIgnore: Uint8Array;
}

/** Stable order of indices by `key` ascending (numpy's mergesort argsort). */
export function stableArgsort(n: number, key: (i: number) => number): number[] {
  return Array.from({ length: n }, (_, i) => i).sort((a, b) => key(a) - key(b));
}

/** Matches one cell for one area range and maxDet; null when it has neither GT nor detections. */
export function evaluateImage(
  cell: EvalCell,
  aRng: CocoAreaRange,
  maxDet: number,
  iouThrs: readonly number[],
): ImageEval | null {
  const { gts, ious } = cell;
  if (gts.length === 0 && cell.dts.length === 0) return null;
  const outside = (area: number) => area < aRng.min || area > aRng.max;
  const gIgnore = gts.map((g) => (g.crowd || outside(g.area) ? 1 : 0));
  const gtind = stableArgsort(gts.length, (i) => gIgnore[i]!);
  const G0 = gts.length;
  const dts = cell.dts.slice(0, maxDet);
  const T = iouThrs.length;
  const G = gtind.length;
  const D = dts.length;
  const gtIgnore = Uint8Array.from(gtind, (i) => gIgnore[i]!);
  const crowd = gtind.map((i) => gts[i]!.crowd);
  const gtMatched = new Uint8Array(T * G);
  const dtMatched = new Uint8Array(T * D);
  const dtIgnore = new Uint8Array(T * D);
  if (ious.length > 0) {
    for (let t = 0; t < T; t++) {
      for (let d = 0; d < D; d++) {
        let iou = Math.min(iouThrs[t]!, 1 - 1e-10);
        let m = -1;
        for (let g = 0; g < G; g++) {
          if (gtMatched[t * G + g] && !crowd[g]) continue;
          if (m > -1 && gtIgnore[m] === 0 && gtIgnore[g] === 1) break;
          const v = ious[d * G0 + gtind[g]!]!;
          if (v < iou) continue;
          iou = v;
          m = g;
        }
        if (m === -1) continue;
        dtIgnore[t * D + d] = gtIgnore[m]!;
        dtMatched[t * D + d] = gts[gtind[m]!]!.id !== 0 ? 1 : 0;
        gtMatched[t * G + m] = 1;
      }
    }
  }
  // unmatched detections outside the area range are ignored ("dtm == 0": a match to GT id 0 too)
  for (let d = 0; d < D; d++) {
    if (!outside(dts[d]!.area)) continue;
    for (let t = 0; t < T; t++) if (!dtMatched[t * D + d]) dtIgnore[t * D + d] = 1;
  }
  return { dtScores: Float64Array.from(dts, (d) => d.score), dtMatched, dtIgnore, gtIgnore };
}
