/**
 * Python's string semantics where sacreBLEU depends on them: `str.split()` and `str.strip()` on
 * Python's whitespace (29 code points, not JavaScript's `\s`: U+001C–U+001F and U+0085 are in,
 * U+FEFF is out), `str.lower()` with CPython 3.11's Unicode 14 tables, and `f'{x:.2f}'` (round
 * half to even on the exact binary value, where `toFixed` rounds ties up).
 *
 *   pySplit(' a\u0085b  c ');  // ['a', 'b', 'c']
 *   pyFixed(0.125, 2);         // '0.12' (toFixed gives '0.13')
 */
import { PY_LOWERCASED } from './unicode-tables.js';

/** The characters Python's `str.isspace()` accepts, as a regex class body. */
export const PY_WHITESPACE =
  '\\t\\n\\v\\f\\r\\u{1c}-\\u{1f} \\u{85}\\u{a0}\\u{1680}\\u{2000}-\\u{200a}\\u{2028}\\u{2029}\\u{202f}\\u{205f}\\u{3000}';

const SPLIT = new RegExp(`[${PY_WHITESPACE}]+`, 'u');
const LEADING = new RegExp(`^[${PY_WHITESPACE}]+`, 'u');
const TRAILING = new RegExp(`[${PY_WHITESPACE}]+$`, 'u');

/** Python's `s.split()`: runs of whitespace separate, no empty strings. */
export function pySplit(s: string): string[] {
  return s.split(SPLIT).filter((t) => t !== '');
}

/** Python's `s.rstrip()`. */
export function pyRstrip(s: string): string {
  return s.replace(TRAILING, '');
}

/** Python's `s.strip()`. */
export function pyStrip(s: string): string {
  return pyRstrip(s).replace(LEADING, '');
}

const NON_ASCII = /[^\0-\x7f]/;
const PY_LOWER = new RegExp(`^[${PY_LOWERCASED}]$`, 'u');

/**
 * Python's `s.lower()`: JavaScript's `toLowerCase` (both apply Unicode's full mappings and the
 * final sigma), except that letters cased after Unicode 14 stay as they are, as in CPython 3.11.
 */
export function pyLower(s: string): string {
  if (!NON_ASCII.test(s)) return s.toLowerCase();
  let out = '';
  let run = '';
  for (const ch of s) {
    if (ch.toLowerCase() !== ch && !PY_LOWER.test(ch)) {
      out += run.toLowerCase() + ch;
      run = '';
    } else run += ch;
  }
  return out + run.toLowerCase();
}

/** Python's `f'{x:.{digits}f}'` for a finite number: correctly rounded, ties to even. */
export function pyFixed(x: number, digits: number): string {
  const fixed = x.toFixed(digits);
  // toFixed(100) is the exact decimal value for |x| ≥ 2^-48; smaller numbers round to 0 without a tie.
  const exact = Math.abs(x).toFixed(100);
  const point = exact.indexOf('.');
  const rest = exact.slice(point + 1 + digits);
  if (!/^50*$/.test(rest)) return fixed;
  const kept = exact.slice(0, point + 1 + digits).replace(/\.$/, '');
  const last = kept.at(-1) ?? '0';
  if (Number(last) % 2 === 1) return fixed; // toFixed rounded the tie up, to the even digit
  return (x < 0 ? '-' : '') + kept;
}
