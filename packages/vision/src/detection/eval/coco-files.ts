/**
 * COCO evaluation from files: reads a COCO dataset (GT) and a COCO results list, reports every
 * problem of both files together, and evaluates (`cocoEvaluate`); `formatCocoSummary` prints the
 * 12 numbers as pycocotools' `summarize()` does.
 *
 *   const r = await cocoEvaluateFiles('instances_val.json', 'detections.json');
 *   console.log(formatCocoSummary(r).join('\n'));
 */
import { readFileSync } from 'node:fs';
import { checkInputFile } from '@dlpipe/core';
import { ProblemLog } from '../formats/annotation-error.js';
import {
  type CocoDataset,
  type CocoDetection,
  parseCocoDataset,
  parseCocoResults,
} from '../formats/coco-schema.js';
import { type CocoEvalResult, cocoEvaluate } from './coco-evaluate.js';
import type { CocoEvalOptions } from './coco-params.js';
import { COCO_STAT_KEYS } from './summarize.js';

/** Reads and checks both files; an `AnnotationError` lists the problems of both. */
export function readCocoEvalInputs(
  gtPath: string,
  predPath: string,
): { gt: CocoDataset; dets: CocoDetection[] } {
  checkInputFile(gtPath, '--gt file');
  checkInputFile(predPath, '--pred file');
  const log = new ProblemLog();
  const gt = parseCocoDataset(readFileSync(gtPath, 'utf8'), gtPath, log);
  const dets = parseCocoResults(readFileSync(predPath, 'utf8'), predPath, log);
  log.throwIfAny(log.problems[0]?.file ?? gtPath);
  return { gt, dets };
}

/** `cocoEvaluate` on a GT file and a results file. */
export async function cocoEvaluateFiles(
  gtPath: string,
  predPath: string,
  options: CocoEvalOptions = {},
): Promise<CocoEvalResult> {
  const { gt, dets } = readCocoEvalInputs(gtPath, predPath);
  return cocoEvaluate(gt, dets, options);
}

/** pycocotools' 12 summary lines (` Average Precision  (AP) @[ IoU=0.50:0.95 | area=   all | maxDets=100 ] = 0.394`). */
export function formatCocoSummary(r: CocoEvalResult): string[] {
  const [m0, m1, m2] = r.params.maxDets;
  const what: [boolean, string, string, number | undefined][] = [
    [true, '0.50:0.95', 'all', 100],
    [true, '0.50', 'all', m2],
    [true, '0.75', 'all', m2],
    [true, '0.50:0.95', 'small', m2],
    [true, '0.50:0.95', 'medium', m2],
    [true, '0.50:0.95', 'large', m2],
    [false, '0.50:0.95', 'all', m0],
    [false, '0.50:0.95', 'all', m1],
    [false, '0.50:0.95', 'all', m2],
    [false, '0.50:0.95', 'small', m2],
    [false, '0.50:0.95', 'medium', m2],
    [false, '0.50:0.95', 'large', m2],
  ];
  return COCO_STAT_KEYS.map((key, i) => {
    const [ap, iou, area, maxDets] = what[i]!;
    const title = ap ? 'Average Precision  (AP)' : 'Average Recall     (AR)';
    return ` ${title} @[ IoU=${iou.padEnd(9)} | area=${area.padStart(6)} | maxDets=${String(maxDets ?? '').padStart(3)} ] = ${r.stats[key].toFixed(3)}`;
  });
}
