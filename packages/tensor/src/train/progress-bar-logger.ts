/**
 * The progress bar of `fit` as a callback: one bar per epoch with the running loss and metrics,
 * throughput in samples and ETA; the epoch's `val_` values on its final line.
 *
 *   fit(task, data, { …, progress: false, callbacks: [new ProgressBarLogger({ plainEvery: 30 })] })
 */
import { ProgressBar, type ProgressBarOptions } from '@dlpipe/core';
import type { BatchLogs, Callback, CallbackContext } from './callback.js';
import type { HistoryRecord } from './types.js';

export class ProgressBarLogger implements Callback {
  private bar: ProgressBar | undefined;

  /** `options` go to each epoch's `ProgressBar` (stream, tty, plainEvery, silent). */
  constructor(private readonly options: ProgressBarOptions = {}) {}

  onEpochBegin({ run }: CallbackContext): void {
    this.bar = new ProgressBar({
      total: run.train.length,
      label: `epoch ${run.position.epoch + 1}/${run.epochs}`,
      unit: 'samples',
      ...this.options,
    });
    const skipped = run.position.stepInEpoch; // batches a resume skips
    if (skipped > 0) this.bar.update(skipped, {}, 0);
  }

  onBatchEnd(logs: BatchLogs): void {
    this.bar?.update(1, logs.running, logs.size);
  }

  onEpochEnd(record: HistoryRecord): void {
    const val = Object.entries(record).filter(([k]) => k.startsWith('val_'));
    this.bar?.done(Object.fromEntries(val.map(([k, v]) => [k, Number(v)])));
    this.bar = undefined;
  }

  /** Closes the bar of an epoch that a stop cut short. */
  onTrainEnd(): void {
    this.bar?.done();
    this.bar = undefined;
  }
}
