/**
 * sacreBLEU's `intl` tokenizer (mteval-v14.pl's international mode): punctuation (\p{P}) is split
 * off unless it sits between a digit and what follows, symbols (\p{S}) always; one space between
 * tokens. The classes are those of Python's `regex` module (unicode-tables.ts), not Node's, so the
 * tokens are sacreBLEU's whatever Unicode version Node has.
 *
 *   tokenizeIntl('« Bonjour », dit-il… 3,5 €');  // '« Bonjour » , dit - il … 3,5 €'
 */
import { pySplit } from './py-text.js';
import { PY_N, PY_P, PY_S } from './unicode-tables.js';

const INTL_RULES: ReadonlyArray<readonly [RegExp, string]> = [
  // punctuation preceded by a non-digit
  [new RegExp(`([^${PY_N}])([${PY_P}])`, 'gu'), '$1 $2 '],
  // punctuation followed by a non-digit
  [new RegExp(`([${PY_P}])([^${PY_N}])`, 'gu'), ' $1 $2'],
  // symbols
  [new RegExp(`([${PY_S}])`, 'gu'), ' $1 '],
];

/** sacreBLEU's `TokenizerV14International`: one line in, its tokens joined by single spaces out. */
export function tokenizeIntl(line: string): string {
  let s = line;
  for (const [re, repl] of INTL_RULES) s = s.replace(re, repl);
  return pySplit(s).join(' ');
}
