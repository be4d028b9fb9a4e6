/**
 * `pnpm data split file --test 0.2 [--val 0.1] [--stratify col] --out-dir dir`: seeded
 * train/validation/test files (stratified on a column if asked), in the input's format.
 *
 *   pnpm data split data/label/iris.csv --test 0.3 --stratify species --out-dir runs/iris
 */
import { basename, join } from 'node:path';
import { checkInputFile, defineCommand, ensureDir } from '@dlpipe/core';
import { readTable, trainTestSplit, writeTable } from '@dlpipe/data';
import { z } from 'zod';
import { readFlags, readOptions, skipReporter } from '../table-flags.js';

/** `iris.csv.gz` → ['iris', '.csv.gz']: the stem and the extension the parts keep. */
function stemAndExt(file: string): [string, string] {
  const m = /^(.*?)(\.(csv|tsv|txt|feather|arrow)(\.(gz|zip))?)$/i.exec(basename(file));
  return m ? [m[1]!, m[2]!] : [basename(file), '.csv'];
}

export const split = defineCommand({
  summary: 'split a table into train/val/test files (seeded, optionally stratified)',
  description: 'Writes DIR/<name>.train.<ext>, .val (when --val) and .test. Sizes are proportions or counts.',
  args: { file: z.string().describe('a CSV (any compression) or Feather file') },
  flags: {
    outDir: z.string().meta({ placeholder: 'DIR', description: 'where the parts go (required)' }),
    test: z.coerce.number().positive().default(0.25).describe('the test part: a proportion or a count'),
    val: z.coerce.number().min(0).default(0).describe('the validation part: a proportion or a count'),
    stratify: z
      .string()
      .optional()
      .meta({ placeholder: 'COL', description: "keep this column's class proportions in every part" }),
    seed: z.coerce.number().int().default(0).describe('the shuffle seed'),
    noShuffle: z.boolean().default(false).describe('keep the row order (parts are consecutive)'),
    ...readFlags,
  },
  examples: ['pnpm data split data/label/iris.csv --test 0.3 --stratify species --out-dir runs/iris'],
  json: true,
  async run({ file, outDir, test, val, stratify, seed, noShuffle, ...o }) {
    checkInputFile(file, 'table to split');
    ensureDir(outDir, 'output folder (--out-dir)');
    const t = await readTable(file, readOptions(o, skipReporter()));
    const s = trainTestSplit(t.nRows, {
      testSize: test,
      valSize: val,
      stratify: stratify ? t.strings(stratify) : undefined,
      shuffle: !noShuffle,
      seed,
    });
    const [stem, ext] = stemAndExt(file);
    const files: { part: string; file: string; rows: number }[] = [];
    for (const [part, idx] of [
      ['train', s.train],
      ['val', s.val],
      ['test', s.test],
    ] as const) {
      if (part === 'val' && idx.length === 0) continue;
      const out = join(outDir, `${stem}.${part}${ext.replace(/\.(bz2|zst)$/i, '')}`);
      await writeTable(out, t.take(idx));
      files.push({ part, file: out, rows: idx.length });
    }
    return { lines: files.map((f) => `${f.file}: ${f.rows} rows`), data: files };
  },
});
