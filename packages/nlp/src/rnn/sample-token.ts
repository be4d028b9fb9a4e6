/**
 * Picking the next token from a language model's logits: greedy (temperature 0, d2l's
 * `predict_ch8`), or sampled from softmax(logits / temperature) restricted to the `topK` most
 * likely tokens. Greedy decoding of a small model loops ("the store the store …"); sampling with
 * a temperature around 1 does not, and a seeded `Rng` makes it repeatable.
 *
 *   const rng = new Rng(42);
 *   sampleToken([2, 1, 0.5], { temperature: 0.8, topK: 2 }, rng); // 0 or 1
 *   sampleToken([2, 1, 0.5], { temperature: 0 }, rng);            // 0, always
 */
import { OptionsError, type Rng, zodMessage } from '@dlpipe/core';
import { z } from 'zod';

export interface SamplingOptions {
  /** Divides the logits before the softmax: below 1 sharper, above 1 flatter; 0 is greedy. Default 0. */
  temperature?: number;
  /** Sample among the K most likely tokens only; 1 is greedy; 0 keeps all. Default 0. */
  topK?: number;
}

export const samplingOptionsSchema = z.object({
  temperature: z.number().min(0).finite().default(0),
  topK: z.number().int().min(0).default(0),
});

/** Checks sampling options once (OptionsError on a negative temperature or a fractional top-k). */
export function parseSampling(options: SamplingOptions = {}): Required<SamplingOptions> {
  const r = samplingOptionsSchema.safeParse(options);
  if (!r.success) throw new OptionsError(zodMessage('sampling options', r.error));
  return r.data;
}

/** Whether these options pick the argmax every time (no randomness used). */
export function isGreedy(o: Required<SamplingOptions>): boolean {
  return o.temperature === 0 || o.topK === 1;
}

/** The index of the largest logit (the first of equal ones, as tf.argMax). */
export function argMax(logits: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < logits.length; i++) if (logits[i]! > logits[best]!) best = i;
  return best;
}

/** The next token id from `logits` under `o`; see the file header. */
export function sampleToken(logits: ArrayLike<number>, o: Required<SamplingOptions>, rng: Rng): number {
  if (isGreedy(o)) return argMax(logits);
  const order = Array.from({ length: logits.length }, (_, i) => i).sort((a, b) => logits[b]! - logits[a]!);
  const kept = o.topK > 0 ? order.slice(0, o.topK) : order;
  const top = logits[kept[0]!]!;
  const weights = kept.map((i) => Math.exp((logits[i]! - top) / o.temperature));
  const total = weights.reduce((a, b) => a + b, 0);
  let u = rng.next() * total;
  for (let j = 0; j < kept.length; j++) {
    u -= weights[j]!;
    if (u < 0) return kept[j]!;
  }
  return kept[kept.length - 1]!;
}
