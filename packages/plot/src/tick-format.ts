/**
 * Tick labels that read like matplotlib's: the same decimals on every tick of an axis
 * (0.0, 0.5, 1.0), a true minus sign, `1.5e6` for huge or tiny values, and on log axes
 * plain decades (1, 10, 100) or powers of ten (10⁻⁴, 10⁶) when the decades are far from 1.
 *
 *   formatTick(0.5, [0, 0.5, 1], false);           // '0.5'
 *   formatTick(1e6, [1, 1e3, 1e6], true);          // '10⁶'
 */

const SUPERSCRIPT: Record<string, string> = {
  '-': '⁻',
  '0': '⁰',
  '1': '¹',
  '2': '²',
  '3': '³',
  '4': '⁴',
  '5': '⁵',
  '6': '⁶',
  '7': '⁷',
  '8': '⁸',
  '9': '⁹',
};

/** The exponent of `v` when it is an exact power of ten, else null. */
function decadeExponent(v: number): number | null {
  const e = Math.round(Math.log10(v));
  return v > 0 && Math.abs(v / 10 ** e - 1) < 1e-9 ? e : null;
}

/** `10` with the exponent in Unicode superscript digits: 10⁻³. */
export function powerOfTen(e: number): string {
  return `10${[...String(e)].map((c) => SUPERSCRIPT[c] ?? c).join('')}`;
}

function withMinus(s: string): string {
  return s.replace('-', '\u2212');
}

/** A label for tick `v` of an axis whose major ticks are `ticks`. */
export function formatTick(v: number, ticks: readonly number[], log: boolean): string {
  const exps = ticks.map(decadeExponent);
  if (log && exps.every((e) => e !== null)) {
    const e = decadeExponent(v);
    if (e === null) return formatLinear(v, ticks);
    const plain = exps.every((x) => x! >= -3 && x! <= 4);
    return plain ? (e >= 0 ? String(10 ** e) : v.toFixed(-e)) : withMinus(powerOfTen(e));
  }
  return formatLinear(v, ticks);
}

function formatLinear(v: number, ticks: readonly number[]): string {
  if (ticks.length < 2) return withMinus(String(Number(v.toPrecision(4))));
  const step = Math.abs(ticks[1]! - ticks[0]!);
  const maxAbs = Math.max(...ticks.map(Math.abs));
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  if (Math.abs(v) < step * 1e-6) return (0).toFixed(decimals);
  if (maxAbs >= 1e6 || maxAbs < 1e-3) {
    return withMinus(Number(v.toPrecision(6)).toExponential().replace('e+', 'e'));
  }
  return withMinus(v.toFixed(decimals));
}
