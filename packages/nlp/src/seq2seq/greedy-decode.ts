/**
 * d2l §10.7's greedy decoding (`predict_seq2seq`), batched: every source at once, the most likely
 * token fed back at each step, a row finished at its `<eos>` (not returned) or after `maxLen`
 * tokens; decoding stops when all rows are. With `attention: true` the weights over the source of
 * every step a row ran (its `<eos>` step included) come back for heatmaps.
 *
 *   const { tokens, attention } = greedyDecode(model, src, srcValidLen, { bos: 1, eos: 2, maxLen: 10, attention: true });
 *   tokens[0];           // ids of the first translation, without <eos>
 *   attention?.[0];      // [steps][Ts] weights of the first source
 */
import { tf } from '@dlpipe/tensor';
import { z } from 'zod';
import { type DecodeOptions, decodeOptionsSchema, parseDecodeOptions } from './decode-options.js';
import { decodeStep, startDecoding } from './decode-step.js';
import type { Seq2SeqModel } from './encoder-decoder.js';

export interface GreedyDecodeOptions extends DecodeOptions {
  /** Return each step's attention weights over the source (models with attention; others return none). Default false. */
  attention?: boolean;
}

export const greedyDecodeOptionsSchema = decodeOptionsSchema.extend({
  attention: z.boolean().default(false),
});

export interface GreedyDecodeResult {
  /** Per source, the generated ids without `<eos>`. */
  tokens: number[][];
  /** Per source, per step run (its `<eos>` step included), the weights over the Ts source positions. */
  attention?: number[][][];
}

/** Greedy translations of src [B, Ts] (lengths [B]); see the file header. */
export function greedyDecode(
  model: Seq2SeqModel,
  src: tf.Tensor2D,
  srcValidLen: tf.Tensor1D,
  options: GreedyDecodeOptions,
): GreedyDecodeResult {
  const o = parseDecodeOptions('greedyDecode', greedyDecodeOptionsSchema, options, model.config.tgtVocabSize);
  const B = src.shape[0];
  const tokens: number[][] = Array.from({ length: B }, () => []);
  let attention: number[][][] | undefined; // made at the first step that returns weights
  const done = new Array<boolean>(B).fill(false);
  let last: Int32Array = new Int32Array(B).fill(o.bos);
  let state = startDecoding(model, src, srcValidLen);
  try {
    for (let t = 0; t < o.maxLen && done.includes(false); t++) {
      const step = decodeStep(model, last, state, o.attention);
      state = step.state;
      const next = tf.tidy(() => tf.argMax(step.logits, 1).dataSync() as Int32Array);
      const weights = step.attention?.arraySync();
      if (weights) attention ??= Array.from({ length: B }, () => []);
      tf.dispose([step.logits, step.attention].filter((x) => x !== undefined));
      for (let b = 0; b < B; b++) {
        if (done[b]) continue;
        if (weights && attention) attention[b]!.push(weights[b]!);
        if (next[b] === o.eos) done[b] = true;
        else tokens[b]!.push(next[b]!);
      }
      last = next;
    }
  } finally {
    state.dispose();
  }
  return attention ? { tokens, attention } : { tokens };
}
