/**
 * `pnpm nlp bleu --ref R [--ref R2 …] [--hyp H] [--tokenize 13a|intl|zh|char|none] [--lowercase]
 * [--smooth-method exp|floor|add-k|none] [--smooth-value V]`: corpus BLEU as sacreBLEU 2.6.0 (its
 * flag names, score line and signature); the hypothesis from stdin without `--hyp` or with `-`.
 *
 *   pnpm nlp bleu --ref ref.de --hyp out.de
 *   # BLEU = 22.07 55.2/28.0/16.0/9.6 (BP = 1.000 ratio = 1.013 hyp_len = 1521 ref_len = 1501)
 *   # nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0
 */
import { defineCommand, OptionsError } from '@dlpipe/core';
import {
  BLEU_SMOOTH_DEFAULTS,
  BLEU_SMOOTH_METHODS,
  BLEU_TOKENIZER_NAMES,
  formatBleuScore,
  SACREBLEU_VERSION,
  scoreBleuFiles,
} from '@dlpipe/nlp';
import { z } from 'zod';

const flags = {
  ref: z.array(z.string()).min(1).meta({
    placeholder: 'FILE',
    description: 'a reference text file, one segment a line; repeat for more references (required)',
  }),
  hyp: z.string().optional().meta({
    placeholder: 'FILE',
    description: "the hypothesis (system output) text file, one segment a line; '-' or absent: stdin",
  }),
  tokenize: z.enum(BLEU_TOKENIZER_NAMES).default('13a').meta({ description: "sacreBLEU's tokenizer" }),
  lowercase: z.boolean().default(false).meta({ description: 'case-insensitive BLEU' }),
  smoothMethod: z.enum(BLEU_SMOOTH_METHODS).default('exp').meta({ description: 'smoothing of zero matches' }),
  smoothValue: z.coerce
    .number()
    .min(0)
    .optional()
    .meta({ description: 'the value of --smooth-method floor (default 0.1) or add-k (default 1)' }),
};

export const bleu = defineCommand({
  summary: 'corpus BLEU of a hypothesis file against reference files (sacreBLEU-compatible)',
  description:
    `Scores a system output against one or more references as sacreBLEU ${SACREBLEU_VERSION} does (same\n` +
    'tokenizers, smoothing, score line and signature). Every file needs one segment a line and the same\n' +
    'number of lines. With --json: score, counts, totals, precisions, bp, ratio, sys_len, ref_len, signature.',
  flags,
  examples: [
    'pnpm nlp bleu --ref ref.de --hyp out.de',
    'pnpm nlp bleu --ref ref1.zh --ref ref2.zh --tokenize zh < out.zh',
    'pnpm nlp bleu --ref ref.txt --hyp out.txt --smooth-method floor --smooth-value 0.5 --json',
  ],
  json: true,
  async run(o) {
    if (o.smoothValue !== undefined && BLEU_SMOOTH_DEFAULTS[o.smoothMethod] === undefined) {
      throw new OptionsError(
        `--smooth-value applies to --smooth-method floor or add-k, not ${o.smoothMethod}: drop it or pick one of those`,
      );
    }
    if ((o.hyp === undefined || o.hyp === '-') && process.stdin.isTTY) {
      throw new OptionsError('no --hyp and stdin is a terminal: give --hyp FILE or pipe the hypothesis in');
    }
    const r = scoreBleuFiles({
      refs: o.ref,
      ...(o.hyp !== undefined && { hyp: o.hyp }),
      tokenize: o.tokenize,
      lowercase: o.lowercase,
      smoothMethod: o.smoothMethod,
      ...(o.smoothValue !== undefined && { smoothValue: o.smoothValue }),
    });
    const s = r.score;
    return {
      lines: [formatBleuScore(s), r.signature],
      data: {
        name: 'BLEU',
        score: s.score,
        counts: s.counts,
        totals: s.totals,
        precisions: s.precisions,
        bp: s.bp,
        ratio: s.ratio,
        sys_len: s.sysLen,
        ref_len: s.refLen,
        signature: r.signature,
      },
    };
  },
});
