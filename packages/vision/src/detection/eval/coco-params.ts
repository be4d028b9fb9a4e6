/**
 * COCOeval's bbox parameters (pycocotools `Params.setDetParams`): IoU thresholds .50:.05:.95,
 * 101 recall thresholds, maxDets [1, 10, 100] and the all/small/medium/large area ranges — built
 * with numpy's `linspace` arithmetic, so that thresholds compare equal to pycocotools' bit for bit.
 *
 *   const p = cocoParams({ maxDets: [1, 10, 300] });
 *   p.iouThrs[8]; // 0.8999999999999999, as numpy's
 */
import { OptionsError, zodMessage } from '@dlpipe/core';
import { z } from 'zod';

/** numpy's `linspace(start, stop, num)`: `i * ((stop - start) / (num - 1)) + start`, the last = stop. */
export function linspace(start: number, stop: number, num: number): number[] {
  const step = (stop - start) / (num - 1);
  return Array.from({ length: num }, (_, i) => (i === num - 1 && num > 1 ? stop : i * step + start));
}

export interface CocoAreaRange {
  label: string;
  /** Inclusive bounds on the area (GT: the annotation's `area`; detections: w·h). */
  min: number;
  max: number;
}

/** The resolved parameters of one evaluation. */
export interface CocoEvalParams {
  iouThrs: number[];
  recThrs: number[];
  /** Sorted ascending; the summary reads the first three. */
  maxDets: number[];
  areaRng: CocoAreaRange[];
  /** false: categories are ignored (pooled), as pycocotools' `useCats = 0`. */
  useCats: boolean;
}

/** Options of `cocoEvaluate` (defaults: COCO's bbox setting). */
export interface CocoEvalOptions {
  /** Detections kept per image at each level; default [1, 10, 100] (sorted, as pycocotools). */
  maxDets?: number[];
  /** Evaluate only these image ids (default: every image of the GT). */
  imgIds?: number[];
  /** Evaluate only these category ids (default: every category of the GT). */
  catIds?: number[];
  /** Pool all categories (class-agnostic AP), pycocotools' `useCats = 0`; default true. */
  useCats?: boolean;
}

export const cocoEvalOptionsSchema = z
  .object({
    maxDets: z.array(z.number().int().positive()).min(1).optional(),
    imgIds: z.array(z.number()).optional(),
    catIds: z.array(z.number()).optional(),
    useCats: z.boolean().optional(),
  })
  .strict();

export const COCO_AREA_RANGES: readonly CocoAreaRange[] = [
  { label: 'all', min: 0 ** 2, max: 1e5 ** 2 },
  { label: 'small', min: 0 ** 2, max: 32 ** 2 },
  { label: 'medium', min: 32 ** 2, max: 96 ** 2 },
  { label: 'large', min: 96 ** 2, max: 1e5 ** 2 },
];

/** The parameters for `options` (checked; an `OptionsError` names a bad field). */
export function cocoParams(options: CocoEvalOptions = {}): CocoEvalParams {
  const r = cocoEvalOptionsSchema.safeParse(options);
  if (!r.success) throw new OptionsError(zodMessage('cocoEvaluate options', r.error));
  return {
    iouThrs: linspace(0.5, 0.95, Math.round((0.95 - 0.5) / 0.05) + 1),
    recThrs: linspace(0.0, 1.0, Math.round((1.0 - 0.0) / 0.01) + 1),
    maxDets: [...(r.data.maxDets ?? [1, 10, 100])].sort((a, b) => a - b),
    areaRng: COCO_AREA_RANGES.map((a) => ({ ...a })),
    useCats: r.data.useCats ?? true,
  };
}
