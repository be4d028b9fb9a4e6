/**
 * The options of sacreBLEU's `BLEU(...)`, typed and checked once where they enter: tokenizer,
 * lowercasing, smoothing (`exp` default; `floor` 0.1 and `add-k` 1 by default, as sacreBLEU),
 * effective order, maximum n-gram order.
 *
 *   resolveBleuOptions({ smoothMethod: 'floor' });  // { …, smoothValue: 0.1, tokenize: '13a' }
 */
import { OptionsError, zodMessage } from '@dlpipe/core';
import { z } from 'zod';
import { BLEU_TOKENIZER_NAMES, type BleuTokenizerName } from './tokenizers.js';

export const BLEU_SMOOTH_METHODS = ['exp', 'floor', 'add-k', 'none'] as const;
export type BleuSmoothMethod = (typeof BLEU_SMOOTH_METHODS)[number];

/** sacreBLEU's `SMOOTH_DEFAULTS`: the value used when `smoothValue` is not given. */
export const BLEU_SMOOTH_DEFAULTS: Readonly<Record<BleuSmoothMethod, number | undefined>> = {
  exp: undefined,
  floor: 0.1,
  'add-k': 1,
  none: undefined,
};

export interface BleuOptions {
  /** sacreBLEU's `tokenize`; default '13a'. */
  tokenize?: BleuTokenizerName;
  /** Lowercase hypotheses and references first (Python's `str.lower()`); default false. */
  lowercase?: boolean;
  /** Smoothing of zero n-gram matches; default 'exp' (mteval's). */
  smoothMethod?: BleuSmoothMethod;
  /** The value of `floor` and `add-k` (ignored by the others, as in sacreBLEU); default 0.1 / 1. */
  smoothValue?: number;
  /** Average only up to the highest order with any hypothesis n-grams; default false (corpus). */
  effectiveOrder?: boolean;
  /** The highest n-gram order; default 4. */
  maxNgramOrder?: number;
}

/** sacreBLEU tokenizers that need other software (MeCab, SentencePiece models): not here. */
const SACREBLEU_ONLY = ['ja-mecab', 'ko-mecab', 'spm', 'flores101', 'flores200', 'spBLEU-1K'];

export const bleuOptionsSchema = z
  .object({
    tokenize: z.enum(BLEU_TOKENIZER_NAMES).default('13a'),
    lowercase: z.boolean().default(false),
    smoothMethod: z.enum(BLEU_SMOOTH_METHODS).default('exp'),
    smoothValue: z.number().min(0).optional(),
    effectiveOrder: z.boolean().default(false),
    maxNgramOrder: z.number().int().min(1).max(100).default(4),
  })
  .strict();

/** Options with every default filled in (`smoothValue` too, where the method uses one). */
export type ResolvedBleuOptions = z.output<typeof bleuOptionsSchema>;

/** Checks options once and fills in sacreBLEU's defaults; bad options are an OptionsError. */
export function resolveBleuOptions(options: BleuOptions = {}): ResolvedBleuOptions {
  const tok: unknown = options.tokenize;
  if (typeof tok === 'string' && !(BLEU_TOKENIZER_NAMES as readonly string[]).includes(tok)) {
    const sacre = SACREBLEU_ONLY.includes(tok)
      ? ` (sacreBLEU's '${tok}' needs its own segmenter; not implemented)`
      : '';
    throw new OptionsError(
      `BLEU options: unknown tokenizer '${tok}'${sacre}; expected one of ${BLEU_TOKENIZER_NAMES.join(', ')}.`,
    );
  }
  const r = bleuOptionsSchema.safeParse(options);
  if (!r.success) throw new OptionsError(`${zodMessage('BLEU options', r.error)}.`);
  const o = r.data;
  const smoothValue = o.smoothValue ?? BLEU_SMOOTH_DEFAULTS[o.smoothMethod];
  return smoothValue === undefined ? o : { ...o, smoothValue };
}
