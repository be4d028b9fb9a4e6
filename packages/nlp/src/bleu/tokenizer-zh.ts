/**
 * sacreBLEU's `zh` tokenizer: every character in its CJK ranges becomes its own token, the rest
 * goes through the mteval rules of `13a` (without 13a's entity and `<skipped>` handling).
 *
 * The ranges are sacreBLEU's as Python reads them: `'\u20000'` there is U+2000 followed by `0`, so
 * that range compares as U+2001–U+2A6D (general punctuation, arrows, maths… count as Chinese; the
 * supplementary-plane ideographs do not), and `'\u2f800'`–`'\u2fa1d'` as U+2F81–U+2FA1.
 *
 *   tokenizeZh('我来到北京清华大学, 2024年。');  // '我 来 到 北 京 清 华 大 学 , 2024 年 。'
 */

import { pyStrip } from './py-text.js';
import { mtevalRegexp } from './tokenizer-13a.js';

/** sacreBLEU's `_UCODE_RANGES`, inclusive, as compared one character at a time. */
const ZH_RANGES: ReadonlyArray<readonly [number, number]> = [
  [0x3400, 0x4db5], // CJK Unified Ideographs Extension A
  [0x4e00, 0x9fa5], // CJK Unified Ideographs
  [0x9fa6, 0x9fbb],
  [0xf900, 0xfa2d], // CJK Compatibility Ideographs
  [0xfa30, 0xfa6a],
  [0xfa70, 0xfad9],
  [0x2001, 0x2a6d], // sacreBLEU's '\u20000'–'\u2a6d6' (meant: Extension B, U+20000–U+2A6D6)
  [0x2f81, 0x2fa1], // sacreBLEU's '\u2f800'–'\u2fa1d' (meant: Compatibility Supplement)
  [0xff00, 0xffef], // full-width ASCII and punctuation, half-width kana, Hangul
  [0x2e80, 0x2eff], // CJK Radicals Supplement
  [0x3000, 0x303f], // CJK punctuation
  [0x31c0, 0x31ef], // CJK strokes
  [0x2f00, 0x2fdf], // Kangxi Radicals
  [0x2ff0, 0x2fff], // ideographic description
  [0x3100, 0x312f], // Bopomofo
  [0x31a0, 0x31bf], // Bopomofo extended
  [0xfe10, 0xfe1f],
  [0xfe30, 0xfe4f],
  [0x2600, 0x26ff],
  [0x2700, 0x27bf],
  [0x3200, 0x32ff],
  [0x3300, 0x33ff],
];

/** Whether sacreBLEU's `zh` tokenizer makes `ch` (one code point) a token of its own. */
export function isZhChar(ch: string): boolean {
  const c = ch.codePointAt(0) ?? 0;
  return ZH_RANGES.some(([lo, hi]) => c >= lo && c <= hi);
}

/** sacreBLEU's `TokenizerZh`: one line in, its tokens joined by single spaces out. */
export function tokenizeZh(line: string): string {
  let spaced = '';
  for (const ch of pyStrip(line)) spaced += isZhChar(ch) ? ` ${ch} ` : ch;
  return mtevalRegexp(spaced);
}
