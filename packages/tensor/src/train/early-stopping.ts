/**
 * Early stopping (Keras semantics): stop when `monitor` has not improved by more than `minDelta`
 * for `patience` epochs; optionally put back the best weights at the end.
 *
 *   fit(task, data, { callbacks: [new EarlyStopping({ monitor: 'val_loss', patience: 3 })] })
 */
import { OptionsError } from '@dlpipe/core';
import { tf } from '@dlpipe/engine';
import type { Callback, CallbackContext } from './callback.js';
import type { HistoryRecord } from './types.js';

export interface EarlyStoppingOptions {
  /** History key to watch. Default 'val_loss'. */
  monitor?: string;
  /** 'min' for losses, 'max' for accuracies; default: 'max' if the key mentions acc/f1/auc, else 'min'. */
  mode?: 'min' | 'max';
  /** Epochs without improvement before stopping. Default 3. */
  patience?: number;
  /** Smallest change that counts as improvement. Default 0. */
  minDelta?: number;
  /** Restore the best epoch's weights when training ends. Default false. */
  restoreBest?: boolean;
  /** The variables to snapshot for restoreBest. Default: the task's `stateTensors()`. */
  variables?: () => tf.Variable[];
}

export class EarlyStopping implements Callback {
  readonly monitor: string;
  readonly mode: 'min' | 'max';
  best = Number.NaN;
  bestEpoch = -1;
  wait = 0;
  private snapshot: tf.Tensor[] | undefined;

  constructor(private readonly o: EarlyStoppingOptions = {}) {
    this.monitor = o.monitor ?? 'val_loss';
    this.mode = o.mode ?? (/acc|f1|auc|precision|recall/i.test(this.monitor) ? 'max' : 'min');
  }

  private improved(v: number): boolean {
    if (Number.isNaN(this.best)) return true;
    const d = this.o.minDelta ?? 0;
    return this.mode === 'min' ? v < this.best - d : v > this.best + d;
  }

  onEpochEnd(record: HistoryRecord, ctx: CallbackContext): void {
    const v = record[this.monitor];
    if (typeof v !== 'number') {
      throw new OptionsError(
        `EarlyStopping monitors '${this.monitor}' but the epoch record has ${Object.keys(record).join(', ')}` +
          ' (add validation data or monitor another key)',
      );
    }
    if (this.improved(v)) {
      this.best = v;
      this.bestEpoch = record.epoch;
      this.wait = 0;
      if (this.o.restoreBest) {
        tf.dispose(this.snapshot ?? []);
        this.snapshot = this.variables(ctx).map((x) => x.clone());
      }
    } else if (++this.wait >= (this.o.patience ?? 3)) {
      ctx.requestStop(
        `early stopping: ${this.monitor} did not improve for ${this.wait} epochs (best ${this.best} at epoch ${this.bestEpoch})`,
      );
    }
  }

  onTrainEnd(ctx: CallbackContext): void {
    if (this.snapshot) {
      const vars = this.variables(ctx);
      vars.forEach((v, i) => {
        v.assign(this.snapshot![i]!);
      });
      tf.dispose(this.snapshot);
      this.snapshot = undefined;
    }
  }

  private variables(ctx: CallbackContext): tf.Variable[] {
    return this.o.variables ? this.o.variables() : ctx.run.task.stateTensors();
  }

  getState(): unknown {
    return { best: this.best, bestEpoch: this.bestEpoch, wait: this.wait };
  }

  setState(state: unknown): void {
    const s = state as { best: number | null; bestEpoch: number; wait: number };
    this.best = s.best ?? Number.NaN;
    this.bestEpoch = s.bestEpoch;
    this.wait = s.wait;
  }
}
