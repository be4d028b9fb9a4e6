/**
 * Training history as a callback: every `logEvery`-th step record and every epoch record go to
 * a `HistoryLog` (and `<runDir>/history.jsonl`); `fit` returns its records. On a resume the file
 * is cut back to the checkpoint; a fresh run starts a fresh file.
 *
 *   const history = new HistoryLogger({ path: 'runs/a/history.jsonl', logEvery: 10 });
 */
import type { Callback, CallbackContext } from './callback.js';
import { HistoryLog } from './history.js';
import type { HistoryRecord } from './types.js';

export interface HistoryLoggerOptions {
  /** The JSONL file. Default: records kept in memory only. */
  path?: string;
  /** A 'step' record every N optimizer steps; 0 for none. Default 10. */
  logEvery?: number;
}

export class HistoryLogger implements Callback {
  readonly log: HistoryLog;
  private readonly logEvery: number;

  constructor(options: HistoryLoggerOptions = {}) {
    this.log = new HistoryLog(options.path);
    this.logEvery = options.logEvery ?? 10;
  }

  get records(): HistoryRecord[] {
    return this.log.records;
  }

  /** Keeps the records up to where training stands (all of them on a resume, none on a fresh run). */
  onTrainBegin(ctx: CallbackContext): void {
    this.log.restore(ctx.step, ctx.epoch);
  }

  onStepEnd(record: HistoryRecord): void {
    if (this.logEvery > 0 && record.step % this.logEvery === 0) this.log.append(record);
  }

  /** Appends the epoch record, stamped with the seconds since fit began (validation included). */
  onEpochEnd(record: HistoryRecord, ctx: CallbackContext): void {
    record.seconds = (performance.now() - ctx.run.startedAt) / 1000;
    this.log.append(record);
  }
}
