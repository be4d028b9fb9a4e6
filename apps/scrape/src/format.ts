/**
 * Text output of the commands: aligned tables, durations, times, run one-liners.
 *
 *   table([['ID', 'JOB'], ['3', 'shop']]);  // 'ID  JOB\n3   shop'
 */

import { formatDuration } from '@dlpipe/core';
import type { RunInfo } from '@dlpipe/scrape';

/** Rows as left-aligned columns two spaces apart. */
export function table(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const r of rows) for (const [i, c] of r.entries()) widths[i] = Math.max(widths[i] ?? 0, c.length);
  return rows
    .map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  '))
    .join('\n');
}

/** `2024-05-01 12:00:03` in local time, '-' when absent. */
export function when(ms: number | undefined): string {
  if (ms === undefined) return '-';
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

export { formatDuration };

/** `18 done, 0 failed, 1 skipped, 0 pending · 15 records, 12 images · 400 pages/min`. */
export function runCounts(run: Pick<RunInfo, 'stats'>): string {
  const s = run.stats;
  return (
    `${s.done} done, ${s.failed} failed, ${s.skipped} skipped, ${s.pending} pending · ` +
    `${s.records} records, ${s.images} images · ${Math.round(s.pagesPerMin)} pages/min`
  );
}
