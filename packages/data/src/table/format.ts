/**
 * Tables as text for terminals: an aligned preview (pandas' repr) and a per-column summary
 * (dtype, missing, and for numbers count/mean/std/min/quartiles/max as pandas' describe).
 *
 *   console.log(formatTable(t.head(10)));   console.log(formatSummary(t));
 */
import { cellAt, countMissing, isMissing } from './column.js';
import type { Table } from './table.js';

function cellText(v: ReturnType<typeof cellAt>): string {
  if (v === null) return 'NA';
  if (v instanceof Date) return v.toISOString().replace('T00:00:00.000Z', '');
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(6)));
  return String(v).replace(/\n/g, '\\n');
}

/** Aligned columns; long cells are cut at `maxWidth` characters. */
export function formatTable(table: Table, maxWidth = 24): string {
  const cut = (s: string) => (s.length > maxWidth ? `${s.slice(0, maxWidth - 1)}…` : s);
  const cols = table.columns.map((c) =>
    [c.name, ...Array.from({ length: table.nRows }, (_, i) => cellText(cellAt(c, i)))].map(cut),
  );
  const widths = cols.map((c) => Math.max(...c.map((s) => s.length)));
  const numeric = table.columns.map((c) => c.dtype === 'int' || c.dtype === 'float');
  const line = (r: number) =>
    cols.map((c, j) => (numeric[j] ? c[r]!.padStart(widths[j]!) : c[r]!.padEnd(widths[j]!))).join('  ');
  return Array.from({ length: table.nRows + 1 }, (_, r) => line(r).trimEnd()).join('\n');
}

/** numpy's linear-interpolated percentile of sorted values. */
function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

export interface ColumnSummary {
  name: string;
  dtype: string;
  missing: number;
  /** Numbers only (pandas describe; std with ddof 1). */
  count?: number;
  mean?: number;
  std?: number;
  min?: number;
  q25?: number;
  median?: number;
  q75?: number;
  max?: number;
  /** Strings/bools: distinct values and the most frequent. */
  unique?: number;
  top?: string;
}

/** pandas-style describe of every column. */
export function summarize(table: Table): ColumnSummary[] {
  return table.columns.map((c) => {
    const base = { name: c.name, dtype: c.dtype, missing: countMissing(c) };
    if (c.dtype === 'float' || c.dtype === 'int') {
      const v = Array.from(c.data)
        .filter((x) => !Number.isNaN(x))
        .sort((a, b) => a - b);
      const mean = v.reduce((a, b) => a + b, 0) / v.length;
      const std = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (v.length - 1));
      return {
        ...base,
        count: v.length,
        mean,
        std,
        min: v[0],
        q25: quantile(v, 0.25),
        median: quantile(v, 0.5),
        q75: quantile(v, 0.75),
        max: v[v.length - 1],
      };
    }
    const counts = new Map<string, number>();
    for (let i = 0; i < c.data.length; i++) {
      if (isMissing(c, i)) continue;
      const k = cellText(cellAt(c, i));
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    const top = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
    return { ...base, unique: counts.size, ...(top !== undefined ? { top } : {}) };
  });
}

/** The summary as aligned text. */
export function formatSummary(table: Table): string {
  const fmt = (v: number | undefined) =>
    v === undefined ? '' : Number.isNaN(v) ? 'NaN' : String(Number(v.toPrecision(6)));
  const head = [
    'column',
    'dtype',
    'missing',
    'count',
    'mean',
    'std',
    'min',
    '25%',
    '50%',
    '75%',
    'max',
    'unique',
    'top',
  ];
  const rows = summarize(table).map((s) => [
    s.name,
    s.dtype,
    String(s.missing),
    fmt(s.count),
    fmt(s.mean),
    fmt(s.std),
    fmt(s.min),
    fmt(s.q25),
    fmt(s.median),
    fmt(s.q75),
    fmt(s.max),
    s.unique === undefined ? '' : String(s.unique),
    s.top ?? '',
  ]);
  const widths = head.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j]!.length)));
  return [head, ...rows]
    .map((r) =>
      r
        .map((x, j) => x.padEnd(widths[j]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
