/**
 * `pnpm data split file --test 0.2 [--val 0.1] [--stratify col] --out-dir dir`: seeded
 * train/validation/test files (stratified on a column if asked), in the input's format.
 *
 *   pnpm data split data/label/iris.csv --test 0.3 --stratify species --out-dir runs/iris
 */
import { mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { readTable, trainTestSplit, writeTable } from '@dlpipe/data';
import { z } from 'zod';
import { type Command, delimiter, parse } from '../args.js';

const USAGE = `usage: pnpm data split <file> --out-dir DIR [--test 0.25] [--val 0] [--stratify col] [--seed 0]
                       [--no-shuffle] [--delimiter ,]

Writes DIR/<name>.train.<ext>, .val (when --val) and .test. Sizes are proportions or counts.`;

const schema = z.object({
  _: z.tuple([z.string()]),
  'out-dir': z.string(),
  test: z.coerce.number().positive().default(0.25),
  val: z.coerce.number().min(0).default(0),
  stratify: z.string().optional(),
  seed: z.coerce.number().int().default(0),
  'no-shuffle': z.boolean().default(false),
  delimiter: z.string().optional(),
});

export const split: Command = {
  summary: 'split a table into train/val/test files (seeded, optionally stratified)',
  usage: USAGE,
  async run(argv) {
    const o = parse(
      argv,
      {
        'out-dir': { type: 'string' },
        test: { type: 'string' },
        val: { type: 'string' },
        stratify: { type: 'string' },
        seed: { type: 'string' },
        'no-shuffle': { type: 'boolean' },
        delimiter: { type: 'string' },
      },
      schema,
      USAGE,
    );
    const file = o._[0];
    const t = await readTable(file, { delimiter: delimiter(o.delimiter) });
    const s = trainTestSplit(t.nRows, {
      testSize: o.test,
      valSize: o.val,
      stratify: o.stratify ? t.strings(o.stratify) : undefined,
      shuffle: !o['no-shuffle'],
      seed: o.seed,
    });
    mkdirSync(o['out-dir'], { recursive: true });
    const m = /^(.*?)(\.(csv|tsv|txt|feather|arrow)(\.(gz|zip))?)$/i.exec(basename(file));
    const [stem, ext] = m ? [m[1]!, m[2]!] : [basename(file), '.csv'];
    const parts = [
      ['train', s.train],
      ['val', s.val],
      ['test', s.test],
    ] as const;
    for (const [name, idx] of parts) {
      if (name === 'val' && idx.length === 0) continue;
      const out = join(o['out-dir'], `${stem}.${name}${ext.replace(/\.(bz2|zst)$/i, '')}`);
      await writeTable(out, t.take(idx));
      console.log(`${out}: ${idx.length} rows`);
    }
    return 0;
  },
};
