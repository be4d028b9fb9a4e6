/**
 * Says so when a classifier is not learning: after an epoch whose accuracy is still at chance
 * level (≤ chance + margin; chance is 1/numClasses for balanced classes, or the share of the most
 * frequent class), one warning on stderr with what to try. A run that ends at 0.100 on ten
 * classes has learnt nothing, and should not look finished without a word.
 *
 *   await fit(task, train, { …, metrics: ['accuracy'], callbacks: [new ChanceLevelWarning({ numClasses: 10 })] });
 *   // dlpipe: val_accuracy 0.100 after epoch 1 is at chance level (0.100 for 10 classes): the model is not learning yet; …
 */
import { OptionsError } from '@dlpipe/core';
import type { Callback, CallbackContext } from './callback.js';
import type { HistoryRecord } from './types.js';

export interface ChanceLevelWarningOptions {
  /** Classes of the task. */
  numClasses: number;
  /**
   * The accuracy of guessing: always the most frequent class (e.g. `majorityShare(y)` of the data
   * watched). Default 1/numClasses, right for balanced classes.
   */
  chance?: number;
  /** How far above chance still counts as chance. Default 0.02. */
  margin?: number;
  /** History key to watch. Default: 'val_accuracy' when the epoch has it, else 'accuracy'. */
  monitor?: string;
  /** Where the warning goes. Default: stderr (silenced by DLPIPE_QUIET). */
  warn?: (line: string) => void;
}

/** What to try when accuracy stays at chance (d2l's knobs: learning rate, epochs, optimizer). */
export const CHANCE_LEVEL_HINT =
  'try another learning rate (--lr: lower if the loss jumps or is NaN, higher if it barely moves), ' +
  'more --epochs, or an optimizer with momentum (--optimizer momentum or adam)';

function stderrWarn(line: string): void {
  if (!process.env.DLPIPE_QUIET) process.stderr.write(`${line}\n`);
}

export class ChanceLevelWarning implements Callback {
  /** True once the warning was given (it is given once per run). */
  warned = false;

  constructor(private readonly o: ChanceLevelWarningOptions) {
    if (!Number.isInteger(o.numClasses) || o.numClasses < 2) {
      throw new OptionsError(
        `ChanceLevelWarning needs numClasses ≥ 2 (an integer), got ${o.numClasses}: pass the number of classes`,
      );
    }
  }

  /** The accuracy of guessing. */
  get chance(): number {
    return this.o.chance ?? 1 / this.o.numClasses;
  }

  /** The accuracy at or below which a run counts as at chance. */
  get threshold(): number {
    return this.chance + (this.o.margin ?? 0.02);
  }

  onEpochEnd(record: HistoryRecord, ctx: CallbackContext): void {
    if (this.warned) return;
    const key = this.o.monitor ?? (typeof record.val_accuracy === 'number' ? 'val_accuracy' : 'accuracy');
    const value = record[key];
    if (typeof value !== 'number' || value > this.threshold) return;
    this.warned = true;
    (this.o.warn ?? stderrWarn)(
      `dlpipe: ${key} ${value.toFixed(3)} after epoch ${ctx.epoch} is at chance level ` +
        `(${this.chance.toFixed(3)} for ${this.o.numClasses} classes): the model is not learning yet; ${CHANCE_LEVEL_HINT}`,
    );
  }

  /** The share of the most frequent label among integer labels `y` (the accuracy of always guessing it). */
  static majorityShare(y: ArrayLike<number>): number {
    const counts = new Map<number, number>();
    let best = 0;
    for (let i = 0; i < y.length; i++) {
      const c = (counts.get(y[i]!) ?? 0) + 1;
      counts.set(y[i]!, c);
      best = Math.max(best, c);
    }
    return y.length === 0 ? 0 : best / y.length;
  }

  getState(): unknown {
    return { warned: this.warned };
  }

  setState(state: unknown): void {
    this.warned = (state as { warned?: boolean } | null)?.warned === true;
  }
}
