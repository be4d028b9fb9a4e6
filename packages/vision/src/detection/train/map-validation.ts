/**
 * COCO mAP on held-out images as a `fit` callback: every `every` epochs (and at the last one) the
 * run's detector detects the validation images, `cocoEvaluate` scores them, and the epoch record
 * gets `val_AP`, `val_AP50` and `val_AP75`, which fit's history.jsonl and progress bar then show
 * (they run after user callbacks).
 *
 *   const mapVal = new MapValidation(detector, valImages, { every: 1, runDir: 'runs/ssd' });
 *   await fit(detector, train, { …, runDir: 'runs/ssd', callbacks: [mapVal] });
 */
import type { Callback, CallbackContext, HistoryRecord } from '@dlpipe/tensor';
import type { Detector } from '../model/detector.js';
import type { DetectionImages } from './detection-data.js';
import { evaluateDetector } from './evaluate-detector.js';

export interface MapValidationOptions {
  /** Evaluate every N epochs (the last epoch always). Default 1. */
  every?: number;
}

export class MapValidation implements Callback {
  private readonly every: number;

  constructor(
    private readonly detector: Detector,
    private readonly data: DetectionImages,
    o: MapValidationOptions = {},
  ) {
    this.every = Math.max(1, o.every ?? 1);
  }

  async onEpochEnd(record: HistoryRecord, ctx: CallbackContext): Promise<void> {
    const done = ctx.run.position.epoch;
    if (done % this.every !== 0 && done !== ctx.run.epochs) return;
    const { result } = await evaluateDetector(this.detector, this.data);
    record.val_AP = result.stats.AP;
    record.val_AP50 = result.stats.AP50;
    record.val_AP75 = result.stats.AP75;
  }
}
