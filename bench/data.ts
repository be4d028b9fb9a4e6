/**
 * `pnpm bench data` — the same table read as CSV, CSV.gz, CSV.zip and Feather (time to a
 * dlpipe Table and peak RSS, each in its own process), and a big CSV (default 1 GB, generated
 * under the OS temp dir, never committed) converted to Feather with streaming to show memory
 * stays bounded. d2l's claim: compressed CSV reads faster than plain, Feather faster still but
 * larger in memory.
 *
 *   pnpm bench data [--mb 100] [--convert-gb 1] [--quick] [--json] [--keep] [--default-heap]
 */
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { convertTable } from '@dlpipe/data';
import { generateCsv } from './data-generate.js';
import { runWorker } from './lib/worker.js';

const USAGE =
  'usage: pnpm bench data [--mb 100] [--convert-gb 1] [--quick] [--json] [--keep] [--default-heap]';

interface Measurement {
  format: string;
  file: string;
  fileMB: number;
  seconds?: number;
  maxRssMB?: number;
  rows?: number;
  error?: string;
}

async function measure(
  format: string,
  args: string[],
  file: string,
  budgetS: number,
  nodeFlags: string[] = [],
): Promise<Measurement> {
  const r = await runWorker('data-worker.ts', args, { nodeFlags, budgetS, env: { DLPIPE_QUIET: '1' } });
  const base = { format, file, fileMB: statSync(file).size / 1e6 };
  if (r.timedOut) return { ...base, error: `timeout (> ${budgetS} s)` };
  if (!r.result) return { ...base, error: r.error ?? 'no result' };
  return { ...base, ...(r.result as { seconds: number; maxRssMB: number; rows: number }) };
}

function table(rows: Measurement[]): string {
  const head = ['format', 'file MB', 'read s', 'MB/s (file)', 'peak RSS MB', 'rows'];
  const lines = rows.map((m) =>
    m.error
      ? [m.format, m.fileMB.toFixed(1), m.error, '', '', '']
      : [
          m.format,
          m.fileMB.toFixed(1),
          m.seconds!.toFixed(2),
          (m.fileMB / m.seconds!).toFixed(1),
          m.maxRssMB!.toFixed(0),
          String(m.rows),
        ],
  );
  const w = head.map((h, j) => Math.max(h.length, ...lines.map((l) => l[j]!.length)));
  return [head, ...lines].map((l) => l.map((x, j) => x.padEnd(w[j]!)).join('  ')).join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      mb: { type: 'string' },
      'convert-gb': { type: 'string' },
      quick: { type: 'boolean' },
      json: { type: 'boolean' },
      keep: { type: 'boolean' },
      'default-heap': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const mb = Number(values.mb ?? (values.quick ? 20 : 100));
  const gb = Number(values['convert-gb'] ?? (values.quick ? 0.1 : 1));
  if (!(mb > 0) || !(gb >= 0)) throw new Error(`--mb and --convert-gb must be positive numbers\n${USAGE}`);
  const dir = join(tmpdir(), `dlpipe-bench-data-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const log = (s: string) => process.stderr.write(`${s}\n`);
  try {
    const csv = join(dir, 'table.csv');
    log(`generating ${mb} MB of CSV in ${dir} …`);
    await generateCsv(csv, mb * 1e6);
    for (const out of ['table.csv.gz', 'table.csv.zip', 'table.feather'])
      await convertTable(csv, join(dir, out));
    const reads: Measurement[] = [];
    for (const f of ['table.csv', 'table.csv.gz', 'table.csv.zip', 'table.feather']) {
      log(`reading ${f} …`);
      reads.push(await measure(f.replace('table.', ''), ['read', join(dir, f)], join(dir, f), 600));
    }
    let big: Measurement | undefined;
    if (gb > 0) {
      const bigCsv = join(dir, 'big.csv');
      log(`generating ${gb} GB of CSV …`);
      await generateCsv(bigCsv, gb * 1e9, 1);
      log('converting it to Feather (streamed; dtypes from a first pass) …');
      // A 256 MB V8 heap cap: the conversion must stream to fit (with default flags V8 collects
      // lazily and RSS floats higher; `--default-heap` measures that).
      const flags = values['default-heap'] ? [] : ['--max-old-space-size=256'];
      big = await measure(
        `convert ${gb} GB csv → feather`,
        ['convert', bigCsv, join(dir, 'big.feather')],
        bigCsv,
        1800,
        flags,
      );
    }
    if (values.json) console.log(JSON.stringify({ reads, convert: big }, null, 2));
    else {
      console.log(
        `read a ${mb} MB table (${reads[0]?.rows ?? '?'} rows × 8 columns) into memory, one process each:`,
      );
      console.log(table(reads));
      if (big) {
        console.log(
          big.error
            ? `\nconvert ${gb} GB CSV → Feather: ${big.error}`
            : `\nconvert ${big.fileMB.toFixed(0)} MB CSV → Feather, streamed${values['default-heap'] ? '' : ' (V8 heap capped at 256 MB)'}: ${big.seconds!.toFixed(1)} s, ` +
                `peak RSS ${big.maxRssMB!.toFixed(0)} MB, ${big.rows} rows (target < 500 MB: ${big.maxRssMB! < 500 ? 'met' : 'NOT met'})`,
        );
      }
    }
    return big && !big.error && big.maxRssMB! >= 500 ? 1 : 0;
  } finally {
    if (!values.keep) rmSync(dir, { recursive: true, force: true });
  }
}
