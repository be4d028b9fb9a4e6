/**
 * COCO mAP of a detector on a decoded split, for training-time validation and `vision val`:
 * `detectAll` runs `detect` batch by batch (score threshold 0.05, as mAP wants), `cocoGroundTruth`
 * and `cocoResults` turn the split and the detections into COCO's dataset and results (pixels of
 * each original image, ids from 1), and `evaluateDetector` hands both to `cocoEvaluate`.
 *
 *   const data = await detectionImages(loadDetectionSet('datasets/bananas', 'val'), { imageSize: 256 });
 *   const { result } = await evaluateDetector(det, data);
 *   result.stats.AP50; result.perClass[0].AP;
 */

import { type CocoEvalResult, cocoEvaluate } from '../eval/coco-evaluate.js';
import { detectionSetToCoco } from '../formats/coco-json.js';
import type { CocoDataset, CocoDetection } from '../formats/coco-schema.js';
import type { Detection, DetectOptions, Detector } from '../model/detector.js';
import type { LoadedDetectionSet } from '../synth/load-set.js';
import type { DetectionImages } from './detection-data.js';

export interface DetectAllOptions extends DetectOptions {
  /** Images per `detect` call. Default 32. */
  batchSize?: number;
}

/** `detector.detect` over every image of `data`, in order; no tensors left behind. */
export async function detectAll(
  detector: Detector,
  data: DetectionImages,
  o: DetectAllOptions = {},
): Promise<Detection[][]> {
  const { batchSize = 32, ...detect } = o;
  const out: Detection[][] = [];
  const n = data.set.images.length;
  for (let s = 0; s < n; s += batchSize) {
    const x = data.images(s, s + batchSize);
    try {
      out.push(...(await detector.detect(x, detect)));
    } finally {
      x.dispose();
    }
  }
  return out;
}

/** The split as a COCO dataset: image i has id i + 1, class k category id k + 1, area = w·h (the formats' writer). */
export function cocoGroundTruth(set: LoadedDetectionSet): CocoDataset {
  return detectionSetToCoco(set);
}

const clip01 = (v: number) => Math.min(1, Math.max(0, v));

/** A normalized detection's `[x, y, w, h]` in pixels of a `width` × `height` image, clipped to it. */
export function pixelBox(d: Detection, width: number, height: number): [number, number, number, number] {
  const [x1, y1, x2, y2] = d.box.map(clip01) as [number, number, number, number];
  return [x1 * width, y1 * height, (x2 - x1) * width, (y2 - y1) * height];
}

/** Detections per image (in the split's order) as COCO results with the ids of `cocoGroundTruth`. */
export function cocoResults(detections: readonly Detection[][], set: LoadedDetectionSet): CocoDetection[] {
  return detections.flatMap((dets, i) => {
    const im = set.images[i]!;
    return dets.map((d) => ({
      image_id: i + 1,
      category_id: d.classId + 1,
      bbox: pixelBox(d, im.width, im.height),
      score: d.score,
    }));
  });
}

export interface DetectorEvaluation {
  result: CocoEvalResult;
  detections: Detection[][];
}

/** COCO mAP (pycocotools' bbox evaluation) of `detector` on `data`. */
export async function evaluateDetector(
  detector: Detector,
  data: DetectionImages,
  o: DetectAllOptions = {},
): Promise<DetectorEvaluation> {
  const detections = await detectAll(detector, data, { scoreThreshold: 0.05, ...o });
  const result = cocoEvaluate(cocoGroundTruth(data.set), cocoResults(detections, data.set));
  return { result, detections };
}
