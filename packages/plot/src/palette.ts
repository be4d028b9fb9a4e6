/**
 * Colors: matplotlib's tab10 categorical palette for series, and the sequential "Blues"
 * colormap (ColorBrewer, as in matplotlib) for heatmaps.
 *
 *   seriesColor(0);   // '#1f77b4' (tab:blue)
 *   blues(1);         // '#08306b' (darkest)
 *   inkOn('#08306b'); // 'white'
 */

/** matplotlib's tab10, in order: blue, orange, green, red, purple, brown, pink, gray, olive, cyan. */
export const TAB10: readonly string[] = [
  '#1f77b4',
  '#ff7f0e',
  '#2ca02c',
  '#d62728',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#7f7f7f',
  '#bcbd22',
  '#17becf',
];

/** The tab10 color of the i-th series (cycling after ten). */
export function seriesColor(i: number): string {
  return TAB10[((i % TAB10.length) + TAB10.length) % TAB10.length]!;
}

const BLUES = [
  '#f7fbff',
  '#deebf7',
  '#c6dbef',
  '#9ecae1',
  '#6baed6',
  '#4292c6',
  '#2171b5',
  '#08519c',
  '#08306b',
];

/** `#rrggbb` → [r, g, b] in 0…255. */
export function hexToRgb(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function rgbToHex(rgb: readonly number[]): string {
  return `#${rgb.map((c) => Math.round(c).toString(16).padStart(2, '0')).join('')}`;
}

/** The Blues colormap at t in [0, 1] (clamped; NaN maps to 0): light for 0, dark navy for 1. */
export function blues(t: number): string {
  const x = Number.isFinite(t) ? Math.min(1, Math.max(0, t)) * (BLUES.length - 1) : 0;
  const i = Math.min(Math.floor(x), BLUES.length - 2);
  const a = hexToRgb(BLUES[i]!);
  const b = hexToRgb(BLUES[i + 1]!);
  return rgbToHex(a.map((c, k) => c + (b[k]! - c) * (x - i)));
}

/** WCAG relative luminance of a `#rrggbb` color, 0 (black) … 1 (white). */
export function luminance(hex: string): number {
  const [r, g, b] = hexToRgb(hex).map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

/** The text color that reads on `fill`: white on dark fills, near-black on light ones. */
export function inkOn(fill: string): string {
  return luminance(fill) < 0.3 ? 'white' : '#222222';
}
