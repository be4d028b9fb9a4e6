/**
 * `pnpm data convert in out`: CSV (plain, .gz, .zip, .bz2, .zst) ↔ Feather ↔ CSV, streamed in
 * chunks with bounded memory and a progress bar.
 *
 *   pnpm data convert big.csv.gz big.feather --dtype zip=string --on-bad-row skip
 */
import { convertTable } from '@dlpipe/data';
import { ProgressBar } from '@dlpipe/tensor';
import { z } from 'zod';
import { type Command, delimiter, parse, parseDtypes } from '../args.js';

const USAGE = `usage: pnpm data convert <in> <out> [--delimiter ,] [--out-delimiter ,] [--dtype col=type]...
                         [--on-bad-row error|skip] [--infer-rows N|all] [--chunk-rows 16384] [--member name]

Converts between CSV (.csv/.tsv, optionally .gz/.zip/.bz2/.zst; compression read by magic bytes)
and Feather v2 (.feather/.arrow), by the file names. Writes .csv, .csv.gz or .csv.zip.
Types: int, float, bool, string, date. --infer-rows all (default) reads the file twice.`;

const schema = z.object({
  _: z.tuple([z.string(), z.string()]),
  delimiter: z.string().optional(),
  'out-delimiter': z.string().optional(),
  dtype: z.array(z.string()).optional(),
  'on-bad-row': z.enum(['error', 'skip']).default('error'),
  'infer-rows': z.union([z.literal('all'), z.coerce.number().int().positive()]).default('all'),
  'chunk-rows': z.coerce.number().int().positive().default(16384),
  member: z.string().optional(),
  quiet: z.boolean().default(false),
});

export const convert: Command = {
  summary: 'convert a table between CSV (any compression) and Feather',
  usage: USAGE,
  async run(argv) {
    const o = parse(
      argv,
      {
        delimiter: { type: 'string' },
        'out-delimiter': { type: 'string' },
        dtype: { type: 'string', multiple: true },
        'on-bad-row': { type: 'string' },
        'infer-rows': { type: 'string' },
        'chunk-rows': { type: 'string' },
        member: { type: 'string' },
        quiet: { type: 'boolean', short: 'q' },
      },
      schema,
      USAGE,
    );
    const [input, output] = o._;
    let skipped = 0;
    let bar: ProgressBar | undefined;
    let last = 0;
    const t0 = performance.now();
    const r = await convertTable(input, output, {
      delimiter: delimiter(o.delimiter),
      dtypes: parseDtypes(o.dtype),
      onBadRow: o['on-bad-row'],
      onSkip: (e) => {
        skipped++;
        if (skipped <= 20) process.stderr.write(`skipped ${e.message}\n`);
        if (skipped === 21) process.stderr.write('(more skipped rows are counted, not shown)\n');
      },
      inferRows: o['infer-rows'],
      chunkRows: o['chunk-rows'],
      member: o.member,
      write: { delimiter: delimiter(o['out-delimiter']) },
      onProgress: (done, total) => {
        bar ??= new ProgressBar({ total, label: 'convert', unit: 'B', silent: o.quiet });
        bar.update(done - last);
        last = done;
      },
    });
    bar?.done();
    const mb = (b: number) => `${(b / 1e6).toFixed(1)} MB`;
    console.log(
      `${input} → ${output}: ${r.rows} rows × ${r.columns.length} columns, ${mb(r.bytesIn)} → ${mb(r.bytesOut)} ` +
        `in ${((performance.now() - t0) / 1000).toFixed(1)} s${skipped ? `, ${skipped} bad rows skipped` : ''}`,
    );
    console.log(describeDtypes(r.dtypes));
    return 0;
  },
};

/** "a: int, b: string" for a few columns, else counts per dtype. */
export function describeDtypes(dtypes: Record<string, string>): string {
  const entries = Object.entries(dtypes);
  if (entries.length <= 12) return entries.map(([k, v]) => `${k}: ${v}`).join(', ');
  const counts = new Map<string, number>();
  for (const [, v] of entries) counts.set(v, (counts.get(v) ?? 0) + 1);
  return `dtypes: ${[...counts].map(([v, n]) => `${n} ${v}`).join(', ')}`;
}
