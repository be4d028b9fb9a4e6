/**
 * Validation as a callback: at each epoch end, evaluates the run's task on held-out data and adds
 * the results to the epoch record with a `val_` prefix (`val_loss`, `val_accuracy`, …), so later
 * callbacks (progress, history, early stopping) see them.
 *
 *   fit(task, train, { …, callbacks: [new Validation(test, { metrics: ['accuracy'] })] })
 */
import type { Callback, CallbackContext } from './callback.js';
import { type EvaluateOptions, evaluate } from './evaluate.js';
import type { DataSource, HistoryRecord } from './types.js';

export class Validation<B> implements Callback {
  constructor(
    private readonly data: DataSource<B>,
    private readonly options: EvaluateOptions = {},
  ) {}

  async onEpochEnd(record: HistoryRecord, ctx: CallbackContext): Promise<void> {
    const val = await evaluate(ctx.run.task, this.data, this.options);
    for (const [k, v] of Object.entries(val)) record[`val_${k}`] = v;
  }
}
