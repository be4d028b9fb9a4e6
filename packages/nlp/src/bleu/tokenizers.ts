/**
 * The tokenizers of sacreBLEU's BLEU as an explicit registry: `13a` (default), `intl`, `zh`,
 * `char` (every character a token) and `none` (the line as it is, split at whitespace later).
 *
 *   BLEU_TOKENIZERS.char('ab c');  // 'a b   c'
 */
import { tokenize13a } from './tokenizer-13a.js';
import { tokenizeIntl } from './tokenizer-intl.js';
import { tokenizeZh } from './tokenizer-zh.js';

/** The tokenizer names sacreBLEU's `--tokenize` takes that dlpipe implements. */
export const BLEU_TOKENIZER_NAMES = ['13a', 'intl', 'zh', 'char', 'none'] as const;
export type BleuTokenizerName = (typeof BLEU_TOKENIZER_NAMES)[number];

/** One line in, tokens joined by spaces out (as each sacreBLEU tokenizer's `__call__`). */
export type BleuTokenizer = (line: string) => string;

export const BLEU_TOKENIZERS: Readonly<Record<BleuTokenizerName, BleuTokenizer>> = {
  '13a': tokenize13a,
  intl: tokenizeIntl,
  zh: tokenizeZh,
  char: (line) => Array.from(line).join(' '),
  none: (line) => line,
};
