/**
 * `vision val` as a function: a detector on a labelled split — COCO's 12 numbers and per-class AP
 * (`cocoEvaluate`), and in `out/`: pr-curves.png (precision vs recall per class at IoU 0.5, the
 * class mean at 0.5 and at .50:.95), metrics.json, and the split and the detections as COCO files
 * (ground-truth.json, detections.json: `pnpm vision map` on them gives the same numbers).
 *
 *   const set = await resolveDetectionData('bananas', 'val');
 *   const r = await validateDetector(detector, set, { out: 'runs/ssd/val' });
 *   r.stats.AP50; r.perClass[0].AP;
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFigure } from '@dlpipe/plot';
import type { CocoClassStats, CocoEvalResult } from '../eval/coco-evaluate.js';
import { cocoEvaluate } from '../eval/coco-evaluate.js';
import type { CocoStats } from '../eval/summarize.js';
import type { Detector } from '../model/detector.js';
import type { LoadedDetectionSet } from '../synth/load-set.js';
import { detectionImages } from './detection-data.js';
import { cocoGroundTruth, cocoResults, detectAll } from './evaluate-detector.js';
import { type PrCurves, plotPrCurves, prCurves } from './pr-curves.js';

export interface ValidateDetectorOptions {
  /** Folder for pr-curves.png, metrics.json, ground-truth.json and detections.json. Default: nothing written. */
  out?: string;
  /** Chart title. Default: '<arch> on <n> images'. */
  title?: string;
  /** Images per `detect` call. Default 32. */
  batchSize?: number;
  /** Extra fields for metrics.json. */
  extra?: Record<string, unknown>;
}

export interface DetectorValidation {
  stats: CocoStats;
  perClass: CocoClassStats[];
  curves: PrCurves;
  evaluation: CocoEvalResult;
  files: string[];
}

/** COCO metrics and PR curves of `detector` on `set` (images resized to its input size). */
export async function validateDetector(
  detector: Detector,
  set: LoadedDetectionSet,
  o: ValidateDetectorOptions = {},
): Promise<DetectorValidation> {
  const data = await detectionImages(set, { imageSize: detector.config.imageSize });
  const detections = await detectAll(detector, data, { scoreThreshold: 0.05, batchSize: o.batchSize });
  const gt = cocoGroundTruth(set);
  const results = cocoResults(detections, set);
  const evaluation = cocoEvaluate(gt, results);
  const curves = prCurves(evaluation);
  const files: string[] = [];
  if (o.out) {
    mkdirSync(o.out, { recursive: true });
    const title = o.title ?? `${detector.config.arch} on ${set.images.length} images`;
    if (curves.perClass.length > 0)
      files.push(...writeFigure(plotPrCurves(curves, { title }), join(o.out, 'pr-curves.png')));
    const metrics = {
      ...o.extra,
      images: set.images.length,
      ...evaluation.stats,
      perClass: evaluation.perClass.map(({ name, numGt, AP, AP50, AP75, AR100 }) => ({
        name,
        numGt,
        AP,
        AP50,
        AP75,
        AR100,
      })),
    };
    const write = (name: string, value: unknown) => {
      writeFileSync(
        join(o.out!, name),
        `${JSON.stringify(value, null, name === 'metrics.json' ? 2 : undefined)}\n`,
      );
      files.push(join(o.out!, name));
    };
    write('metrics.json', metrics);
    write('ground-truth.json', gt);
    write('detections.json', results);
  }
  return { stats: evaluation.stats, perClass: evaluation.perClass, curves, evaluation, files };
}
