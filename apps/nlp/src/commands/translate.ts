/**
 * `pnpm nlp translate --model runs/x [--beam 4] [--heatmap out.png] TEXT`: English sentences (the
 * arguments, or stdin one a line) translated by a model of `pnpm nlp seq2seq train`, tokenized as
 * in training, decoded greedily or by beam search, detokenized; `--heatmap` draws the decoder's
 * attention over the source for the first sentence (Chinese tokens included).
 *
 *   pnpm nlp translate --model runs/seq2seq-bahdanau "cannot open file" --heatmap attention.png
 *   printf 'go .\nhelp\n' | pnpm nlp translate --model runs/seq2seq-gru --beam 4
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { checkOutputFile, defineCommand, OptionsError } from '@dlpipe/core';
import {
  decodeUtf8,
  loadSeq2Seq,
  translate as translateSentences,
  writeTranslationHeatmap,
} from '@dlpipe/nlp';
import { initBackend } from '@dlpipe/tensor';
import { z } from 'zod';

const flags = {
  model: z.string().min(1).meta({
    placeholder: 'DIR',
    description: 'a run folder of pnpm nlp seq2seq train (or its model/ folder)',
  }),
  beam: z.coerce
    .number()
    .int()
    .min(1)
    .default(1)
    .meta({ placeholder: 'N', description: 'beam size (1: greedy decoding, as d2l)' }),
  alpha: z.coerce.number().min(0).default(0.75).meta({
    placeholder: 'A',
    description: "beam search's length-penalty exponent (GNMT)",
  }),
  maxLen: z.coerce
    .number()
    .int()
    .positive()
    .optional()
    .meta({ placeholder: 'N', description: "most output tokens (default: the model's --num-steps)" }),
  heatmap: z.string().min(1).optional().meta({
    placeholder: 'FILE',
    description: 'write the attention heatmap of the first sentence to this .png or .svg file',
  }),
};

/** The sentences: the arguments joined, or stdin's non-empty lines. */
function sentencesOf(text: string[]): string[] {
  if (text.length > 0) return [text.join(' ')];
  if (process.stdin.isTTY)
    throw new OptionsError('no TEXT and stdin is a terminal: give TEXT or pipe sentences in');
  const lines = decodeUtf8(readFileSync(0), 'stdin')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '');
  if (lines.length === 0)
    throw new OptionsError('stdin held no sentences; give TEXT or pipe one sentence a line.');
  return lines;
}

export const translate = defineCommand({
  summary: 'translate English sentences with a trained seq2seq model',
  description: `Translates TEXT (or stdin, one sentence a line) with a model of pnpm nlp seq2seq train:
d2l's preprocessing (lowercase, space before punctuation), greedy decoding or --beam N beam
search with the GNMT length penalty --alpha, outputs detokenized. --heatmap FILE draws the
attention weights over the source of the first sentence (Bahdanau and Transformer models).`,
  args: { text: z.array(z.string()).describe('the sentence (words joined by spaces); default: stdin lines') },
  flags,
  examples: [
    'pnpm nlp translate --model runs/seq2seq-bahdanau "cannot open file"',
    'pnpm nlp translate --model runs/seq2seq-transformer --beam 4 --heatmap attention.png "permission denied"',
    "printf 'go .\\nhelp\\n' | pnpm nlp translate --model runs/seq2seq-gru",
  ],
  json: true,
  async run(o) {
    if (o.heatmap !== undefined) {
      if (!/(\.png|\.svg|^[^.]*)$/i.test(basename(o.heatmap))) {
        throw new OptionsError(`--heatmap ${o.heatmap}: write a .png or .svg file (no extension: both).`);
      }
      checkOutputFile(o.heatmap, 'heatmap file (--heatmap)');
    }
    await initBackend();
    const saved = await loadSeq2Seq(o.model);
    try {
      if (o.heatmap !== undefined && !saved.model.attentionWeights) {
        throw new OptionsError(
          `--heatmap: a ${saved.model.config.arch} model has no attention to draw; use a bahdanau or transformer run.`,
        );
      }
      const sentences = sentencesOf(o.text);
      const out = translateSentences(saved, sentences, { beam: o.beam, alpha: o.alpha, maxLen: o.maxLen });
      const files =
        o.heatmap !== undefined && out[0] ? writeTranslationHeatmap(saved, out[0], o.heatmap) : [];
      return {
        lines: [...out.map((t) => t.text), ...files.map((f) => `wrote ${f}`)],
        data: { translations: out, files },
      };
    } finally {
      saved.model.dispose();
    }
  },
});
