/**
 * COCO mAP for boxes, equal to pycocotools' `COCOeval(gt, dt, 'bbox')` (evaluate → accumulate →
 * summarize): the 12 summary numbers, the [T, R, K, A, M] precision and [T, K, A, M] recall
 * arrays, and the same numbers per category. For training-time validation, or files through
 * `pnpm vision map --gt coco.json --pred dets.json`.
 *
 *   const r = cocoEvaluate(gt, [{ image_id: 1, category_id: 1, bbox: [10, 10, 50, 40], score: 0.9 }]);
 *   r.stats.AP; r.stats.AP50; r.perClass[0].AP;
 *
 * As pycocotools: ids are image and category ids of `gt` (sorted), detections on other
 * categories are left out, a detection on an image not in `gt` is an error ("results do not
 * correspond"), `ignore` fields are overwritten by `iscrowd`, GT areas come from `area`, and a
 * GT annotation with id 0 never counts as matched (pycocotools stores the matched id, 0 = none).
 * With no detections at all (pycocotools fails) the APs are 0 where there is GT.
 */
import { InvalidArgumentError } from '@dlpipe/core';
import type { CocoBox, CocoDataset, CocoDetection } from '../formats/coco-schema.js';
import { type Accumulated, accumulate } from './accumulate.js';
import { cocoBoxIou } from './coco-iou.js';
import { type CocoEvalOptions, type CocoEvalParams, cocoParams } from './coco-params.js';
import { type EvalCell, type EvalDt, type EvalGt, evaluateImage, stableArgsort } from './evaluate-image.js';
import { type CocoStats, summarizeCoco } from './summarize.js';

/** One category's numbers (its slice of the arrays, summarized as the whole). */
export interface CocoClassStats extends CocoStats {
  categoryId: number;
  name: string;
  /** GT annotations of the category that are not crowd regions. */
  numGt: number;
}

export interface CocoEvalResult extends Accumulated {
  stats: CocoStats;
  perClass: CocoClassStats[];
  params: CocoEvalParams & { imgIds: number[]; catIds: number[] };
}

const uniqueSorted = (ids: Iterable<number>) => [...new Set(ids)].sort((a, b) => a - b);

interface Prepared {
  imgIds: number[];
  catIds: number[];
  /** Indexed `k * I + i` (k over catIds, or one pooled "category" without useCats). */
  cells: (EvalCell | undefined)[];
}

type Item<T> = T & { box: CocoBox };

/** Groups GT and detections by image × category (pycocotools' `_prepare` and `computeIoU`). */
function prepare(
  gt: CocoDataset,
  dets: readonly CocoDetection[],
  p: CocoEvalParams,
  o: CocoEvalOptions,
): Prepared {
  const imgIds = uniqueSorted(o.imgIds ?? gt.images.map((im) => im.id));
  const catIds = uniqueSorted(o.catIds ?? gt.categories.map((c) => c.id));
  const known = new Set(gt.images.map((im) => im.id));
  const foreign = uniqueSorted(dets.map((d) => d.image_id).filter((id) => !known.has(id)));
  if (foreign.length > 0) {
    throw new InvalidArgumentError(
      `detections on ${foreign.length} image id(s) that are not in the ground truth (${foreign.slice(0, 5).join(', ')}${foreign.length > 5 ? ', …' : ''}); ` +
        'use the image ids of the GT file',
    );
  }
  const I = imgIds.length;
  const imgIndex = new Map(imgIds.map((id, i) => [id, i]));
  const catIndex = new Map(catIds.map((id, k) => [id, k]));
  // per image, per category index: items in file order
  const bucket = <T>(lists: Map<number, Item<T>[]>, img: number, cat: number, item: Item<T>) => {
    const i = imgIndex.get(img);
    const k = catIndex.get(cat);
    if (i === undefined || k === undefined) return;
    const key = k * I + i;
    const list = lists.get(key);
    if (list) list.push(item);
    else lists.set(key, [item]);
  };
  const gts = new Map<number, Item<EvalGt>[]>();
  for (const a of gt.annotations) {
    const [, , w, h] = a.bbox;
    const g = { id: a.id, area: a.area ?? w * h, crowd: Boolean(a.iscrowd), box: a.bbox };
    bucket(gts, a.image_id, a.category_id, g);
  }
  const dts = new Map<number, Item<EvalDt>[]>();
  for (const d of dets)
    bucket(dts, d.image_id, d.category_id, { score: d.score, area: d.bbox[2] * d.bbox[3], box: d.bbox });
  const K = p.useCats ? catIds.length : 1;
  const cells: (EvalCell | undefined)[] = new Array(K * I);
  const maxDet = p.maxDets[p.maxDets.length - 1]!;
  for (let i = 0; i < I; i++) {
    const pool = (m: Map<number, Item<unknown>[]>, k: number) =>
      p.useCats ? (m.get(k * I + i) ?? []) : catIds.flatMap((_, kk) => m.get(kk * I + i) ?? []);
    for (let k = 0; k < K; k++) {
      const g = pool(gts, k) as Item<EvalGt>[];
      const dAll = pool(dts, k) as Item<EvalDt>[];
      if (g.length === 0 && dAll.length === 0) continue;
      const d = stableArgsort(dAll.length, (j) => -dAll[j]!.score)
        .slice(0, maxDet)
        .map((j) => dAll[j]!);
      const ious =
        g.length && d.length
          ? cocoBoxIou(
              d.map((x) => x.box),
              g.map((x) => x.box),
              g.map((x) => x.crowd),
            )
          : new Float64Array(0);
      cells[k * I + i] = { gts: g, dts: d, ious };
    }
  }
  return { imgIds, catIds, cells };
}

/** pycocotools' COCOeval (bbox) on in-memory GT and detections. */
export function cocoEvaluate(
  gt: CocoDataset,
  dets: readonly CocoDetection[],
  options: CocoEvalOptions = {},
): CocoEvalResult {
  const p = cocoParams(options);
  const { imgIds, catIds, cells } = prepare(gt, dets, p, options);
  const I = imgIds.length;
  const K = p.useCats ? catIds.length : 1;
  const A = p.areaRng.length;
  const maxDet = p.maxDets[p.maxDets.length - 1]!;
  const evalImgs = new Array(K * A * I).fill(null);
  for (let k = 0; k < K; k++)
    for (let a = 0; a < A; a++)
      for (let i = 0; i < I; i++) {
        const cell = cells[k * I + i];
        if (cell) evalImgs[(k * A + a) * I + i] = evaluateImage(cell, p.areaRng[a]!, maxDet, p.iouThrs);
      }
  const acc = accumulate(evalImgs, p, K, I);
  const names = new Map(gt.categories.map((c) => [c.id, c.name]));
  const catSet = new Set(catIds);
  const numGt = new Map<number, number>();
  for (const a of gt.annotations) {
    if (!a.iscrowd && catSet.has(a.category_id))
      numGt.set(a.category_id, (numGt.get(a.category_id) ?? 0) + 1);
  }
  const perClass = p.useCats
    ? catIds.map((id, k) => ({
        categoryId: id,
        name: names.get(id) ?? String(id),
        numGt: numGt.get(id) ?? 0,
        ...summarizeCoco(acc, p, k),
      }))
    : [];
  return { ...acc, stats: summarizeCoco(acc, p), perClass, params: { ...p, imgIds, catIds } };
}
