/**
 * `pnpm data convert in out`: CSV (plain, .gz, .zip, .bz2, .zst) ↔ Feather ↔ CSV, streamed in
 * chunks with bounded memory and a progress bar.
 *
 *   pnpm data convert big.csv.gz big.feather --dtype zip=string --on-bad-row skip
 */
import { defineCommand, ProgressBar } from '@dlpipe/core';
import { convertTable } from '@dlpipe/data';
import { z } from 'zod';
import { outDelimiterFlag, readFlags, readOptions, skipReporter } from '../table-flags.js';

export const convert = defineCommand({
  summary: 'convert a table between CSV (any compression) and Feather',
  description: `Converts between CSV (.csv/.tsv, optionally .gz/.zip/.bz2/.zst; compression read by magic bytes)
and Feather v2 (.feather/.arrow), by the file names. Writes .csv, .csv.gz or .csv.zip.
Types: int, float, bool, string, date. --infer-rows all (default) reads the file twice.`,
  args: {
    in: z.string().describe('the table to read'),
    out: z.string().describe('the file to write (its name picks the format)'),
  },
  flags: {
    ...readFlags,
    outDelimiter: outDelimiterFlag,
    inferRows: z
      .string()
      .default('all')
      .transform((s, ctx): number | 'all' => {
        if (s === 'all') return 'all';
        const n = Number(s);
        if (/^\d+$/.test(s.trim()) && Number.isSafeInteger(n) && n > 0) return n;
        ctx.issues.push({ code: 'custom', input: s, message: "expected a positive integer or 'all'" });
        return z.NEVER;
      })
      .meta({ placeholder: 'N|all', description: 'rows the dtypes are inferred from (all: a first pass)' }),
    chunkRows: z.coerce
      .number()
      .int()
      .positive()
      .max(1 << 24)
      .default(16384)
      .describe('rows per chunk written (fewer for wide tables: a chunk holds ~4M cells at most)'),
    member: z.string().optional().meta({ placeholder: 'NAME', description: 'the member of a .zip to read' }),
    quiet: z.boolean().default(false).meta({ short: 'q', description: 'no progress bar' }),
  },
  examples: ['pnpm data convert big.csv.gz big.feather --dtype zip=string --on-bad-row skip'],
  json: true,
  async run({ in: input, out: output, outDelimiter, inferRows, chunkRows, member, quiet, ...o }) {
    const skipped = skipReporter();
    let bar: ProgressBar | undefined;
    let last = 0;
    const t0 = performance.now();
    const r = await convertTable(input, output, {
      ...readOptions(o, skipped),
      inferRows,
      chunkRows,
      member,
      write: { delimiter: outDelimiter },
      onProgress: (done, total) => {
        bar ??= new ProgressBar({ total, label: 'convert', unit: 'B', silent: quiet });
        bar.update(done - last);
        last = done;
      },
    });
    bar?.done();
    const seconds = (performance.now() - t0) / 1000;
    const mb = (b: number) => `${(b / 1e6).toFixed(1)} MB`;
    return {
      lines: [
        `${input} → ${output}: ${r.rows} rows × ${r.columns.length} columns, ${mb(r.bytesIn)} → ${mb(r.bytesOut)} ` +
          `in ${seconds.toFixed(1)} s${skipped.count ? `, ${skipped.count} bad rows skipped` : ''}`,
        describeDtypes(r.dtypes),
      ],
      data: { input, output, ...r, skipped: skipped.count, seconds },
    };
  },
});

/** "a: int, b: string" for a few columns, else counts per dtype. */
export function describeDtypes(dtypes: Record<string, string>): string {
  const entries = Object.entries(dtypes);
  if (entries.length <= 12) return entries.map(([k, v]) => `${k}: ${v}`).join(', ');
  const counts = new Map<string, number>();
  for (const [, v] of entries) counts.set(v, (counts.get(v) ?? 0) + 1);
  return `dtypes: ${[...counts].map(([v, n]) => `${n} ${v}`).join(', ')}`;
}
