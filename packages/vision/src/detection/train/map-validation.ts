/**
 * COCO mAP on held-out images as a `fit` callback: every `every` epochs (and at the last one) the
 * run's detector detects the validation images, `cocoEvaluate` scores them, and the epoch record
 * gets `val_AP`, `val_AP50` and `val_AP75`. fit's history logger writes the record before user
 * callbacks run, so the callback also rewrites that epoch's line of `history.jsonl` (atomically):
 * a resume then finds the mAP in the file. Pass `progress: false` to fit and a
 * `ProgressBarLogger` after this callback to see the numbers on the epoch's bar.
 *
 *   const mapVal = new MapValidation(detector, valImages, { every: 1, runDir: 'runs/ssd' });
 *   await fit(detector, train, { …, progress: false, callbacks: [mapVal, new ProgressBarLogger()] });
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomicSync } from '@dlpipe/core';
import type { Callback, CallbackContext, HistoryRecord } from '@dlpipe/tensor';
import type { Detector } from '../model/detector.js';
import type { DetectionImages } from './detection-data.js';
import { evaluateDetector } from './evaluate-detector.js';

export interface MapValidationOptions {
  /** Evaluate every N epochs (the last epoch always). Default 1. */
  every?: number;
  /** The run folder whose history.jsonl gets the numbers. Default: records only. */
  runDir?: string;
}

export class MapValidation implements Callback {
  private readonly every: number;

  constructor(
    private readonly detector: Detector,
    private readonly data: DetectionImages,
    private readonly o: MapValidationOptions = {},
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
    if (this.o.runDir) patchHistory(join(this.o.runDir, 'history.jsonl'), record);
  }
}

/** Replaces the last line of `path` that is `record`'s epoch record with `record`. */
export function patchHistory(path: string, record: HistoryRecord): void {
  if (!existsSync(path)) return;
  const lines = readFileSync(path, 'utf8').split('\n').filter(Boolean);
  for (let i = lines.length - 1; i >= 0; i--) {
    const r = JSON.parse(lines[i]!) as HistoryRecord;
    if (r.kind === 'epoch' && r.epoch === record.epoch) {
      lines[i] = JSON.stringify(record);
      writeFileAtomicSync(path, `${lines.join('\n')}\n`);
      return;
    }
  }
}
