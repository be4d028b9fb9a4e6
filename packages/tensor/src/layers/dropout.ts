/**
 * Dropout as d2l's `dropout_layer`: at training, each element is zeroed with probability `rate`
 * and the survivors scaled by 1/(1-rate), so the expectation is unchanged; at inference, identity.
 * (For Layers models use `tf.layers.dropout`, which behaves the same.) It runs `tf.dropout`.
 *
 *   const h = dropout(x, 0.5, { training: true });
 */
import { OptionsError } from '@dlpipe/core';
import { tf } from '@dlpipe/engine';

export interface DropoutOptions {
  /** Apply the mask (training) or return the input unchanged (inference). Default false. */
  training?: boolean;
  /** Seed for the mask; default: the global generator (see setSeed). */
  seed?: number;
}

export function dropout<T extends tf.Tensor>(x: T, rate: number, options: DropoutOptions = {}): T {
  if (!(rate >= 0 && rate <= 1)) throw new OptionsError(`dropout rate must be in [0, 1], got ${rate}`);
  if (!options.training || rate === 0) return x.clone() as T;
  if (rate === 1) return tf.zerosLike(x) as T;
  // tf.dropout: one native kernel each way on the native backend (engine/src/fusion/dropout.ts)
  return tf.dropout(x, rate, undefined, options.seed) as T;
}
