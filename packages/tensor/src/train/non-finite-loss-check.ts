/**
 * Stops training with a `NonFiniteLossError` naming the epoch and step as soon as a batch's loss
 * is NaN or infinite, before its gradients reach the optimizer (Keras's TerminateOnNaN, but an
 * error: a diverged run should not look finished). `fit` always runs it.
 */
import { NonFiniteLossError } from '../errors.js';
import type { BatchLogs, Callback, CallbackContext } from './callback.js';

export class NonFiniteLossCheck implements Callback {
  onBatchEnd(logs: BatchLogs, ctx: CallbackContext): void {
    if (!Number.isFinite(logs.loss)) throw new NonFiniteLossError(ctx.epoch + 1, ctx.step + 1, logs.loss);
  }
}
