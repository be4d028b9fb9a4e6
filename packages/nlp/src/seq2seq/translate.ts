/**
 * d2l §10.7's `predict_seq2seq` for a saved model and many sentences at once: each source
 * tokenized as in training (`preprocess_nmt`, words), its ids + `<eos>` truncated/padded to the
 * model's `numSteps`, decoded greedily or by beam search (`beam` > 1, length penalty `alpha`),
 * cut at `<eos>` and detokenized for the target language. `translationAttention` gives the
 * decoder's attention over the source for one translation (teacher-forced on the model's own
 * output, which is what greedy decoding saw) and `writeTranslationHeatmap` draws it.
 *
 *   const saved = await loadSeq2Seq('runs/s2s-bahdanau');
 *   const [t] = translate(saved, ['go .'], { beam: 4 });          // t.text: 'va !'
 *   writeTranslationHeatmap(saved, t, 'runs/s2s-bahdanau/attention.png');
 */
import { InvalidArgumentError } from '@dlpipe/core';
import { tf } from '@dlpipe/tensor';
import { z } from 'zod';
import { writeAttentionHeatmap } from '../attention/attention-heatmap.js';
import { ModelUseError } from '../errors.js';
import { beamSearch } from './beam-search.js';
import { greedyDecode } from './greedy-decode.js';
import { buildArrayNmt, specialIds, tokenizeSource } from './seq2seq-data.js';
import type { SavedSeq2Seq } from './seq2seq-io.js';
import { detokenize } from './seq2seq-pairs.js';

export const translateOptionsSchema = z.object({
  /** 1: greedy (d2l); more: beam search with this many beams. */
  beam: z.number().int().min(1).default(1),
  /** Beam search's length penalty exponent (d2l §10.8: score / L^alpha). */
  alpha: z.number().min(0).default(0.75),
  /** Most output tokens; default the model's numSteps (d2l). */
  maxLen: z.number().int().positive().optional(),
  /** Sentences decoded together. */
  batchSize: z.number().int().positive().default(128),
});
export type TranslateOptions = z.input<typeof translateOptionsSchema>;

export interface Translation {
  /** The source tokens the model saw (before `<eos>`; unknown words as they were written). */
  srcTokens: string[];
  /** Output tokens before `<eos>`. */
  tokens: string[];
  /** The tokens detokenized for the target language. */
  text: string;
}

/** Output ids up to (not including) the first `<eos>`, without a leading `<bos>`. */
function cut(ids: readonly number[], bos: number, eos: number): number[] {
  const start = ids[0] === bos ? 1 : 0;
  const end = ids.indexOf(eos, start);
  return ids.slice(start, end < 0 ? ids.length : end);
}

/** Token lines translated (ids + `<eos>`, truncated/padded to numSteps as in training). */
export function translateTokens(
  saved: SavedSeq2Seq,
  lines: readonly (readonly string[])[],
  options: TranslateOptions = {},
): string[][] {
  const o = translateOptionsSchema.parse(options);
  const { model, vocabs, numSteps } = saved;
  const { bos, eos } = specialIds(vocabs.tgt);
  const maxLen = o.maxLen ?? numSteps;
  const out: string[][] = [];
  for (let start = 0; start < lines.length; start += o.batchSize) {
    const chunk = lines.slice(start, start + o.batchSize);
    const arr = buildArrayNmt(chunk, vocabs.src, numSteps);
    const src = tf.tensor2d(arr.ids, [chunk.length, numSteps], 'int32');
    const len = tf.tensor1d(arr.validLen, 'int32');
    try {
      const ids =
        o.beam > 1
          ? beamSearch(model, src, len, { beamSize: o.beam, alpha: o.alpha, maxLen, bos, eos }).tokens
          : greedyDecode(model, src, len, { bos, eos, maxLen }).tokens;
      for (const row of ids) out.push(vocabs.tgt.tokensOf(cut(row, bos, eos)));
    } finally {
      tf.dispose([src, len]);
    }
  }
  return out;
}

/** Raw sentences translated; see the file header. */
export function translate(
  saved: SavedSeq2Seq,
  sentences: readonly string[],
  options: TranslateOptions = {},
): Translation[] {
  const src = sentences.map(tokenizeSource);
  const empty = src.findIndex((t) => t.length === 0);
  if (empty >= 0) {
    throw new InvalidArgumentError(
      `sentence ${empty + 1} is empty; give text to translate (one sentence per argument or stdin line).`,
    );
  }
  const outs = translateTokens(saved, src, options);
  return outs.map((tokens, i) => ({
    srcTokens: src[i] as string[],
    tokens,
    text: detokenize(tokens, saved.lang),
  }));
}

/** The last attention tensor of the last decode (the decoder's cross-attention), heads averaged: [T, Ts]. */
function crossAttention(weights: tf.Tensor[], srcLen: number, tgtLen: number): tf.Tensor2D {
  const w = weights.at(-1);
  if (!w || w.shape.at(-1) !== srcLen || w.shape.at(-2) !== tgtLen) {
    throw new ModelUseError(
      `the model's attention weights [${weights.map((t) => `[${t.shape}]`).join(', ')}] do not end with a [${tgtLen} × ${srcLen}] cross-attention.`,
    );
  }
  const m = w.rank === 4 ? tf.mean(w, 1) : w;
  return tf.reshape(m, [tgtLen, srcLen]) as tf.Tensor2D;
}

/**
 * The decoder's attention over the source for translation `t`: rows are output tokens (then
 * `<eos>`), columns the source tokens (then `<eos>`). Throws for a model without attention.
 */
export function translationAttention(saved: SavedSeq2Seq, t: Translation): number[][] {
  const { model, vocabs, numSteps } = saved;
  if (!model.attentionWeights) {
    throw new ModelUseError(
      `a ${model.config.arch} model has no attention to draw; train --arch bahdanau or transformer for heatmaps.`,
    );
  }
  const { bos } = specialIds(vocabs.tgt);
  const srcIds = [...vocabs.src.indicesOf(t.srcTokens), specialIds(vocabs.src).eos].slice(0, numSteps);
  const tgtIn = [bos, ...vocabs.tgt.indicesOf(t.tokens)];
  return tf.tidy(() => {
    const src = tf.tensor2d([srcIds], [1, srcIds.length], 'int32');
    const len = tf.tensor1d([srcIds.length], 'int32');
    const state = model.initState(model.encode(src, len, false), len);
    model.decode(tf.tensor2d([tgtIn], [1, tgtIn.length], 'int32'), state, false);
    const weights = model.attentionWeights?.() ?? [];
    return crossAttention(weights, srcIds.length, tgtIn.length).arraySync();
  });
}

/** Writes the attention heatmap of translation `t` (PNG, SVG, or both without an extension). */
export function writeTranslationHeatmap(saved: SavedSeq2Seq, t: Translation, path: string): string[] {
  if (path === '') throw new InvalidArgumentError('the heatmap path is empty.');
  const weights = translationAttention(saved, t);
  const srcLabels = [...t.srcTokens, '<eos>'].slice(0, weights[0]?.length);
  return writeAttentionHeatmap(weights, path, {
    colLabels: srcLabels,
    rowLabels: [...t.tokens, '<eos>'],
    xLabel: 'Source tokens',
    yLabel: 'Output tokens',
    title: `${saved.model.config.arch}: ${t.text}`.slice(0, 80),
  });
}
