/**
 * BERT's character classes as Hugging Face tokenizers (Rust) defines them, one predicate each and
 * the same sets as regular-expression sources for the whole-string paths:
 * whitespace = \t \n \r or Rust's `char::is_whitespace` (Unicode White_Space); control = category
 * Cc, Cf or Co except \t \n \r; punctuation = ASCII 33–47, 58–64, 91–96, 123–126 or category P*;
 * CJK = the CJK Unified Ideograph blocks (not kana or hangul). Categories are HF's, whose Unicode
 * tables predate Node's (see bert-unicode-tables.ts): U+2E4F (Po since Unicode 11) is no
 * punctuation to HF, so not to dlpipe's BERT tokenizer either.
 *
 *   isBertPunctuation('、') // true;  isBertWhitespace('\u2028') // true;  isBertControl('\u200b') // true
 */

import { BERT_HF_CONTROL, BERT_HF_MARK, BERT_HF_PUNCTUATION } from './bert-unicode-tables.js';

/** Unicode White_Space (Rust `char::is_whitespace`), as a character-class body. */
export const BERT_WHITESPACE_CLASS =
  '\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';

/** Control characters HF removes (Cc, Cf, Co; \t \n \r excepted), U+0000 and U+FFFD, as a class body. */
export const BERT_CONTROL_CLASS = BERT_HF_CONTROL;

/** Non-spacing marks (Mn) strip accents removes after NFD, as a class body. */
export const BERT_MARK_CLASS = BERT_HF_MARK;

/** ASCII punctuation plus category P*, as a character-class body. */
export const BERT_PUNCTUATION_CLASS = BERT_HF_PUNCTUATION;

/**
 * CJK Unified Ideographs as HF tokenizers pads them. Its fifth range starts at U+2B920 where
 * Google's BERT has U+2B820 (HF's `is_chinese_char`); HF's is followed here.
 */
export const BERT_CJK_CLASS =
  '\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff\\u{20000}-\\u{2a6df}\\u{2a700}-\\u{2b73f}' +
  '\\u{2b740}-\\u{2b81f}\\u{2b920}-\\u{2ceaf}\\u{2f800}-\\u{2fa1f}';

const WHITESPACE = new RegExp(`^[${BERT_WHITESPACE_CLASS}]$`, 'u');
const CONTROL = new RegExp(`^[${BERT_CONTROL_CLASS}]$`, 'u');
const PUNCTUATION = new RegExp(`^[${BERT_PUNCTUATION_CLASS}]$`, 'u');
const CJK = new RegExp(`^[${BERT_CJK_CLASS}]$`, 'u');

/** True for the CJK Unified Ideograph blocks BERT pads with spaces (not kana or hangul). */
export function isCjkChar(cp: number): boolean {
  return CJK.test(String.fromCodePoint(cp));
}

/** BERT's whitespace: \t, \n, \r and Unicode White_Space (U+2028, U+3000, NBSP …). */
export function isBertWhitespace(c: string): boolean {
  return WHITESPACE.test(c);
}

/** BERT's control characters: categories Cc, Cf, Co except \t \n \r (removed by clean text). */
export function isBertControl(c: string): boolean {
  return CONTROL.test(c) && c !== '\ufffd';
}

/** BERT's punctuation: ASCII 33–47, 58–64, 91–96, 123–126 and Unicode category P*. */
export function isBertPunctuation(c: string): boolean {
  return PUNCTUATION.test(c);
}
