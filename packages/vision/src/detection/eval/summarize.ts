/**
 * COCOeval's `summarize` for boxes: the 12 numbers (AP at IoU .50:.95, .50, .75, by area; AR at
 * 1/10/100 detections, by area), each the mean of the accumulated entries > -1 (or -1 when there
 * is none), plus per-category AP read the same way.
 *
 *   const stats = summarizeCoco(acc, params); // { AP: 0.39, AP50: 0.63, …, ARl: 1 }
 */
import { type Accumulated, index4, index5 } from './accumulate.js';
import type { CocoEvalParams } from './coco-params.js';

/** The 12 COCO summary numbers, named as `pnpm vision map --json` prints them. */
export interface CocoStats {
  AP: number;
  AP50: number;
  AP75: number;
  APs: number;
  APm: number;
  APl: number;
  AR1: number;
  AR10: number;
  AR100: number;
  ARs: number;
  ARm: number;
  ARl: number;
}

/** The keys of `CocoStats` in pycocotools' `stats` order. */
export const COCO_STAT_KEYS: readonly (keyof CocoStats)[] = [
  'AP',
  'AP50',
  'AP75',
  'APs',
  'APm',
  'APl',
  'AR1',
  'AR10',
  'AR100',
  'ARs',
  'ARm',
  'ARl',
];

/** What one summary number reads: AP or AR, an IoU threshold (all when undefined), area, maxDets. */
interface Pick {
  ap: boolean;
  iouThr?: number;
  area: string;
  maxDets: number;
  /** Restrict to one category (per-class numbers). */
  k?: number;
}

/** Mean of the selected entries > -1; -1 when none (pycocotools' `_summarize`). */
export function summarizeOne(acc: Accumulated, p: CocoEvalParams, s: Pick): number {
  const { dims } = acc;
  const ts = p.iouThrs.flatMap((thr, t) => (s.iouThr === undefined || thr === s.iouThr ? [t] : []));
  const as = p.areaRng.flatMap((r, a) => (r.label === s.area ? [a] : []));
  const ms = p.maxDets.flatMap((d, m) => (d === s.maxDets ? [m] : []));
  const ks = s.k === undefined ? Array.from({ length: dims.K }, (_, k) => k) : [s.k];
  let sum = 0;
  let n = 0;
  const add = (v: number) => {
    if (v > -1) {
      sum += v;
      n++;
    }
  };
  for (const t of ts)
    for (const k of ks)
      for (const a of as)
        for (const m of ms) {
          if (!s.ap) add(acc.recall[index4(dims, t, k, a, m)]!);
          else for (let r = 0; r < dims.R; r++) add(acc.precision[index5(dims, t, r, k, a, m)]!);
        }
  return n === 0 ? -1 : sum / n;
}

/** The 12 numbers of `COCOeval.summarize()` for iouType 'bbox' (maxDets: the first three). */
export function summarizeCoco(acc: Accumulated, p: CocoEvalParams, k?: number): CocoStats {
  const [m0, m1, m2] = [p.maxDets[0] ?? -1, p.maxDets[1] ?? -1, p.maxDets[2] ?? -1];
  const one = (ap: boolean, area: string, maxDets: number, iouThr?: number) =>
    summarizeOne(acc, p, { ap, area, maxDets, iouThr, k });
  return {
    AP: one(true, 'all', 100),
    AP50: one(true, 'all', m2, 0.5),
    AP75: one(true, 'all', m2, 0.75),
    APs: one(true, 'small', m2),
    APm: one(true, 'medium', m2),
    APl: one(true, 'large', m2),
    AR1: one(false, 'all', m0),
    AR10: one(false, 'all', m1),
    AR100: one(false, 'all', m2),
    ARs: one(false, 'small', m2),
    ARm: one(false, 'medium', m2),
    ARl: one(false, 'large', m2),
  };
}
