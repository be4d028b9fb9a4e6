/**
 * Text → typed cell parsing, shared by the CSV reader and `makeColumn`: numbers (pandas' NA
 * spellings count as missing), booleans, and ISO 8601 dates (no zone means UTC).
 *
 *   parseDate('2024-03-01T12:30:00Z')  // 1709296200000
 *   inferTextDType(['1', '2.5', ''])    // 'float'
 */
import type { DType } from './column.js';

/** Texts read as a missing value in any column (pandas' default na_values, trimmed). */
export const NA_VALUES = new Set([
  '',
  'NA',
  'N/A',
  'n/a',
  'NaN',
  'nan',
  '-NaN',
  '-nan',
  'null',
  'NULL',
  'None',
  '<NA>',
  '#N/A',
]);

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$|^[+-]?(inf|Infinity)$/i;
const INTEGER = /^[+-]?\d+$/;
const DATE = /^(\d{4})-(\d\d)-(\d\d)(?:[T ](\d\d):(\d\d)(?::(\d\d)(\.\d+)?)?(Z|[+-]\d\d:?\d\d)?)?$/;

/** True for a text that means "missing". */
export function isNaText(t: string): boolean {
  return NA_VALUES.has(t.trim());
}

/** A number, NaN for a missing value, or undefined when the text is not a number. */
export function parseNumber(t: string): number | undefined {
  const s = t.trim();
  if (NA_VALUES.has(s)) return Number.NaN;
  if (!NUMBER.test(s)) return undefined;
  if (/inf/i.test(s)) return s.startsWith('-') ? -Infinity : Infinity;
  return Number(s);
}

/** Milliseconds since the epoch, NaN for missing, undefined when the text is not an ISO date. */
export function parseDate(t: string): number | undefined {
  const s = t.trim();
  if (NA_VALUES.has(s)) return Number.NaN;
  const m = DATE.exec(s);
  if (!m) return undefined;
  const [, y, mo, d, h = '00', mi = '00', sec = '00', frac = '', zone = 'Z'] = m;
  const z = zone === 'Z' ? 'Z' : zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone;
  const ms = Date.parse(`${y}-${mo}-${d}T${h}:${mi}:${sec}${frac.slice(0, 4)}${z}`);
  return Number.isNaN(ms) ? undefined : ms;
}

/** true/false (any case), null for missing, undefined otherwise. */
export function parseBool(t: string): boolean | null | undefined {
  const s = t.trim();
  if (NA_VALUES.has(s)) return null;
  const l = s.toLowerCase();
  return l === 'true' ? true : l === 'false' ? false : undefined;
}

/** A running dtype guess over texts: int ⊂ float; bool; date; anything else string. */
export class DTypeGuess {
  private int = true;
  private float = true;
  private bool = true;
  private date = true;
  private seen = false;

  /** Looks at one text (cheapest tests first; a column ruled out of everything costs one Set lookup). */
  add(t: string): void {
    if (!(this.int || this.float || this.bool || this.date)) {
      this.seen = true;
      return;
    }
    const s = t.length > 0 && (t.charCodeAt(0) <= 32 || t.charCodeAt(t.length - 1) <= 32) ? t.trim() : t;
    if (NA_VALUES.has(s)) return;
    this.seen = true;
    if (this.int || this.float) {
      if (this.int && INTEGER.test(s)) {
        this.bool = this.date = false;
        return;
      }
      this.int = false;
      if (this.float && NUMBER.test(s)) {
        this.bool = this.date = false;
        return;
      }
      this.float = false;
    }
    if (this.bool) {
      if (parseBool(s) !== undefined) {
        this.date = false;
        return;
      }
      this.bool = false;
    }
    if (this.date && parseDate(s) === undefined) this.date = false;
  }

  /** The narrowest dtype every text seen fits (string when nothing but missing was seen). */
  get dtype(): DType {
    if (!this.seen) return 'string';
    if (this.int && this.float) return 'int';
    if (this.float) return 'float';
    if (this.bool) return 'bool';
    if (this.date) return 'date';
    return 'string';
  }
}

/** The dtype of a list of texts. */
export function inferTextDType(texts: Iterable<string>): DType {
  const g = new DTypeGuess();
  for (const t of texts) g.add(t);
  return g.dtype;
}
