/**
 * What the attention modules share: the last call's attention weights kept for plotting (d2l's
 * `attention_weights`), dropout on the weights while training, the weighted sum of the values,
 * the input shape checks, and option parsing into `AttentionError`s.
 *
 *   class MyAttention extends AttentionPooling { forward(q, k, v) { … return this.pool(w, v, opts); } }
 *   attention.attentionWeights;              // [batch, queries, keys] of the last forward call
 */
import { zodMessage } from '@dlpipe/core';
import { dropout, tf } from '@dlpipe/tensor';
import type { z } from 'zod';
import { AttentionError } from './attention-error.js';

export interface AttentionCallOptions {
  /** Training: dropout on the attention weights (and wherever the module has dropout). Default false. */
  training?: boolean;
}

/** Parses module options with a zod schema; failures are `AttentionError`s naming each field. */
export function parseAttentionOptions<S extends z.ZodType>(
  what: string,
  schema: S,
  options: unknown,
): z.output<S> {
  const r = schema.safeParse(options);
  if (!r.success) throw new AttentionError(`${zodMessage(`${what} options`, r.error)}.`);
  return r.data;
}

/** Checks queries [b, q, dq], keys [b, k, dk], values [b, k, dv]; `sameDim`: dq must equal dk. */
export function checkQueryKeyValue(
  what: string,
  queries: tf.Tensor,
  keys: tf.Tensor,
  values: tf.Tensor,
  sameDim = false,
): void {
  const bad = [queries, keys, values].findIndex((t) => t.rank !== 3);
  if (bad >= 0) {
    const name = ['queries', 'keys', 'values'][bad];
    throw new AttentionError(
      `${what}: ${name} must be 3-D [batch, steps, features], got shape [${[queries, keys, values][bad]!.shape}].`,
    );
  }
  const [b, , dq] = queries.shape;
  const [bk, k, dk] = keys.shape;
  const [bv, kv] = values.shape;
  if (bk !== b || bv !== b) {
    throw new AttentionError(
      `${what}: queries, keys and values must share the batch size, got ${b}, ${bk} and ${bv}.`,
    );
  }
  if (kv !== k) {
    throw new AttentionError(
      `${what}: keys have ${k} steps but values ${kv}; each key needs its value (pass key-value pairs of one length).`,
    );
  }
  if (sameDim && dq !== dk) {
    throw new AttentionError(
      `${what}: queries have ${dq} features but keys ${dk}; dot-product scores need equal widths ` +
        '(project them first, or use AdditiveAttention).',
    );
  }
}

export abstract class AttentionPooling {
  private last: tf.Tensor3D | undefined;

  /**
   * The attention weights [batch, queries, keys] of the last forward call (before dropout), kept
   * until the next call or `dispose()`; clone them to keep them longer (e.g. one per decoder step).
   */
  get attentionWeights(): tf.Tensor3D | undefined {
    return this.last;
  }

  /**
   * Keeps `weights` as the last attention weights (a kept clone, so the caller's tidy may dispose
   * the original) and returns dropout(weights) · values. Call it inside the forward's tidy.
   */
  protected pool(
    weights: tf.Tensor3D,
    values: tf.Tensor3D,
    rate: number,
    options: AttentionCallOptions,
  ): tf.Tensor3D {
    this.last?.dispose();
    this.last = tf.keep(tf.clone(weights));
    return tf.matMul(dropout(weights, rate, { training: options.training === true }), values);
  }

  /** Releases the kept attention weights. */
  protected releaseAttentionWeights(): void {
    this.last?.dispose();
    this.last = undefined;
  }
}
