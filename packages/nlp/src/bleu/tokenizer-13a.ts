/**
 * sacreBLEU's default tokenizer `13a` (mteval-v13a.pl, used by WMT): drop `<skipped>`, undo four
 * HTML entities, then the mteval regexes split punctuation and symbols off, keep `.` and `,` between
 * digits (3.14, 1,000), split `-` after a digit; one space between tokens. `mtevalRegexp` is the
 * shared second half (sacreBLEU's `TokenizerRegexp`), also used by `zh`.
 *
 *   tokenize13a('Hello, world! It costs $3.50.');  // 'Hello , world ! It costs $ 3.50 .'
 */
import { pySplit } from './py-text.js';

/** mteval's rules in order: [pattern, replacement] (ASCII only, as in sacreBLEU's tokenizer_re.py). */
const MTEVAL_RULES: ReadonlyArray<readonly [RegExp, string]> = [
  // { | } ~  [ \ ] ^ _ `  space ! " # $ % &  ( ) * +  : ; < = > ? @  /
  [/([\x7b-\x7e\x5b-\x60\x20-\x26\x28-\x2b\x3a-\x40\x2f])/gu, ' $1 '],
  // period and comma unless preceded by a digit
  [/([^0-9])([.,])/gu, '$1 $2 '],
  // period and comma unless followed by a digit
  [/([.,])([^0-9])/gu, ' $1 $2'],
  // dash after a digit
  [/([0-9])(-)/gu, '$1 $2 '],
];

/** sacreBLEU's `TokenizerRegexp`: the mteval rules, then single spaces and no outer ones. */
export function mtevalRegexp(line: string): string {
  let s = line;
  for (const [re, repl] of MTEVAL_RULES) s = s.replace(re, repl);
  return pySplit(s).join(' ');
}

/** sacreBLEU's `Tokenizer13a`: one line in, its tokens joined by single spaces out. */
export function tokenize13a(line: string): string {
  let s = line.replaceAll('<skipped>', '').replaceAll('-\n', '').replaceAll('\n', ' ');
  if (s.includes('&')) {
    s = s.replaceAll('&quot;', '"').replaceAll('&amp;', '&').replaceAll('&lt;', '<').replaceAll('&gt;', '>');
  }
  return mtevalRegexp(` ${s} `);
}
