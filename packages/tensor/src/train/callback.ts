/**
 * The callback contract of `fit` (Keras's `Callback`, Lightning's hooks): the loop only steps the
 * optimizer and calls hooks; everything else it does (progress bar, history, checkpoints, early
 * stopping, validation, the non-finite loss check) is a callback, and so is any new feature.
 *
 *   const stopAt = (step: number): Callback => ({
 *     onStepEnd: (record, ctx) => { if (record.step >= step) ctx.requestStop(`step ${step} reached`); },
 *   });
 *   await fit(task, train, { epochs: 5, optimizer: { name: 'sgd', lr: 0.1 }, callbacks: [stopAt(100)] });
 *
 * Hooks run in list order: fit's loss check and validation, then the user's `callbacks` (they see
 * the `val_*` keys and may add their own), then history.jsonl and the progress bar (so added keys
 * are logged and shown), then the checkpoint writer (so it saves the user's state after their
 * hooks ran).
 */
import type { tf } from '@dlpipe/engine';
import type { DataSource, HistoryRecord, TrainTask } from './types.js';

/** Where training stands; the loop advances it and a resume sets it. */
export interface LoopPosition {
  /** Epoch in progress (0-based) = epochs completed. */
  epoch: number;
  /** Batches of that epoch already trained. */
  stepInEpoch: number;
  /** Optimizer steps so far. */
  globalStep: number;
  /** Seeds each epoch's data order (with the epoch number). */
  dataSeed: number;
}

/** What the callbacks can see of a run (Keras's `model`, Lightning's `trainer`). */
export interface FitRun<B = unknown> {
  readonly task: TrainTask<B>;
  readonly train: DataSource<B>;
  readonly optimizer: tf.Optimizer;
  /** Epochs to train in all, counting those before a resume. */
  readonly epochs: number;
  readonly position: LoopPosition;
  /** `performance.now()` when fit began. */
  readonly startedAt: number;
}

/** What a callback sees. Call `requestStop` (or set `stop`) to end training after this step/epoch. */
export interface CallbackContext {
  /** The epoch in progress (0-based); in onEpochEnd, the epochs completed. */
  epoch: number;
  /** Optimizer steps so far. */
  step: number;
  stop: boolean;
  /** Why training stops; becomes `FitResult.stopped`. */
  reason?: string;
  /** Ends training after the current step (or epoch, from onEpochEnd). The first reason wins. */
  requestStop(reason: string): void;
  readonly run: FitRun;
}

/** What one micro-batch did (Keras's train-batch logs). */
export interface BatchLogs {
  /** Index of the batch in its epoch (0-based). */
  batch: number;
  /** Examples in it. */
  size: number;
  /** Its loss. */
  loss: number;
  /** Means over the epoch so far: `loss` and each metric. */
  running: Record<string, number>;
}

export interface Callback {
  /** After a resume (if any) has set `ctx.run.position`, before the first batch. */
  onTrainBegin?(ctx: CallbackContext): void | Promise<void>;
  /** Before the epoch's first batch (`ctx.run.position.stepInEpoch` batches are skipped on a resume). */
  onEpochBegin?(ctx: CallbackContext): void | Promise<void>;
  /** After each micro-batch's gradients, before the optimizer step they are part of. */
  onBatchEnd?(logs: BatchLogs, ctx: CallbackContext): void | Promise<void>;
  /** After each optimizer step, with its history record (`kind: 'step'`). */
  onStepEnd?(record: HistoryRecord, ctx: CallbackContext): void | Promise<void>;
  /** After each epoch, with its record (`kind: 'epoch'`); earlier callbacks may have added keys. */
  onEpochEnd?(record: HistoryRecord, ctx: CallbackContext): void | Promise<void>;
  /** When training ends normally or by a stop (not after an error). */
  onTrainEnd?(ctx: CallbackContext): void | Promise<void>;
  /** State to keep in checkpoints (JSON), restored on resume. */
  getState?(): unknown;
  setState?(state: unknown): void;
}

/** Calls one hook on every callback in order, with the context's epoch and step kept current. */
export class CallbackList {
  readonly ctx: CallbackContext;

  constructor(
    readonly callbacks: readonly Callback[],
    run: FitRun,
  ) {
    const ctx: CallbackContext = {
      epoch: run.position.epoch,
      step: run.position.globalStep,
      stop: false,
      run,
      requestStop: (reason) => {
        if (!ctx.stop) ctx.reason = reason;
        ctx.stop = true;
      },
    };
    this.ctx = ctx;
  }

  trainBegin = () => this.each((c) => c.onTrainBegin?.(this.ctx));
  epochBegin = () => this.each((c) => c.onEpochBegin?.(this.ctx));
  batchEnd = (logs: BatchLogs) => this.each((c) => c.onBatchEnd?.(logs, this.ctx));
  stepEnd = (record: HistoryRecord) => this.each((c) => c.onStepEnd?.(record, this.ctx));
  epochEnd = (record: HistoryRecord) => this.each((c) => c.onEpochEnd?.(record, this.ctx));
  trainEnd = () => this.each((c) => c.onTrainEnd?.(this.ctx));

  /** Why a callback asked to stop, or undefined when none did. */
  stopReason(): string | undefined {
    return this.ctx.stop ? (this.ctx.reason ?? 'stopped by a callback') : undefined;
  }

  private async each(hook: (c: Callback) => void | Promise<void>): Promise<void> {
    this.ctx.epoch = this.ctx.run.position.epoch;
    this.ctx.step = this.ctx.run.position.globalStep;
    for (const c of this.callbacks) await hook(c);
  }
}
