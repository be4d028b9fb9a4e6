/**
 * `pnpm vision map --gt coco.json --pred detections.json`: COCO mAP of detections, the 12 numbers
 * of pycocotools' COCOeval for boxes (@dlpipe/vision's `cocoEvaluateFiles`), per category with
 * --per-class; --json prints them as `{ AP, AP50, …, ARl }`.
 *
 *   pnpm vision map --gt instances_val.json --pred detections.json --json
 */
import { defineCommand } from '@dlpipe/core';
import { cocoEvaluateFiles, formatCocoSummary } from '@dlpipe/vision';
import { z } from 'zod';

export const map = defineCommand({
  summary: 'COCO mAP of detections (the 12 numbers of pycocotools COCOeval, bbox)',
  description: `Evaluates detections against COCO ground truth exactly as pycocotools' COCOeval
(iouType bbox): AP at IoU .50:.95, .50 and .75, AP by area (small < 32², medium < 96², large),
AR at 1, 10 and 100 detections per image and by area; -1 where there is no ground truth.
--gt is a COCO dataset file (images, annotations with area and iscrowd, categories); --pred is a
COCO results list [{image_id, category_id, bbox: [x, y, w, h], score}].`,
  flags: {
    gt: z.string().meta({ placeholder: 'FILE', description: 'the ground truth: a COCO dataset JSON' }),
    pred: z
      .string()
      .meta({ placeholder: 'FILE', description: 'the detections: a COCO results JSON list with scores' }),
    perClass: z.boolean().default(false).meta({ description: 'also print AP, AP50 and AR100 per category' }),
  },
  examples: [
    'pnpm vision map --gt instances_val.json --pred detections.json',
    'pnpm vision map --gt gt.json --pred dets.json --json',
  ],
  json: true,
  async run(o) {
    const r = await cocoEvaluateFiles(o.gt, o.pred);
    const lines = formatCocoSummary(r);
    if (o.perClass) {
      const w = Math.max(8, ...r.perClass.map((c) => c.name.length));
      lines.push('', `${'category'.padEnd(w)}  ${'GT'.padStart(6)}     AP   AP50  AR100`);
      for (const c of r.perClass) {
        const f = (v: number) => v.toFixed(3).padStart(6);
        lines.push(
          `${c.name.padEnd(w)}  ${String(c.numGt).padStart(6)} ${f(c.AP)} ${f(c.AP50)} ${f(c.AR100)}`,
        );
      }
    }
    const perClass = r.perClass.map(({ categoryId, name, numGt, AP, AP50, AP75, AR100 }) => ({
      categoryId,
      name,
      numGt,
      AP,
      AP50,
      AP75,
      AR100,
    }));
    return { lines, data: o.perClass ? { ...r.stats, perClass } : r.stats };
  },
});
