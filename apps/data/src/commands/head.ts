/**
 * `pnpm data head file [-n 10]` and `pnpm data info file`: a preview, and per-column dtypes,
 * missing counts and pandas-describe statistics.
 *
 *   pnpm data head data/label/iris.csv -n 5
 */
import { defineCommand } from '@dlpipe/core';
import { formatSummary, formatTable, readTable, summarize, type Table } from '@dlpipe/data';
import { z } from 'zod';
import { readFlags, readOptions, skipReporter } from '../table-flags.js';

const fileArg = z.string().describe('a CSV (any compression) or Feather file');

/** Reads the table of `file` with the read flags. */
function read(file: string, o: Parameters<typeof readOptions>[0]): Promise<Table> {
  return readTable(file, readOptions(o, skipReporter()));
}

export const head = defineCommand({
  summary: 'print the first rows of a table',
  description: 'Prints the first rows of a CSV (any compression) or Feather file.',
  args: { file: fileArg },
  flags: {
    n: z.coerce.number().int().min(0).default(10).meta({ short: 'n', description: 'rows to print' }),
    ...readFlags,
  },
  examples: ['pnpm data head data/label/iris.csv -n 5'],
  json: true,
  async run({ file, n, ...o }) {
    const t = await read(file, o);
    return {
      lines: [formatTable(t.head(n)), `[${t.nRows} rows × ${t.columnNames.length} columns]`],
      data: { file, rows: t.nRows, columns: t.columnNames, head: t.head(n).toRows() },
    };
  },
});

export const info = defineCommand({
  summary: 'print dtypes, missing values and statistics per column',
  description: "Prints rows, columns, each column's dtype, missing values and statistics (pandas describe).",
  args: { file: fileArg },
  flags: readFlags,
  examples: ['pnpm data info data/tables/cities.csv.bz2'],
  json: true,
  async run({ file, ...o }) {
    const t = await read(file, o);
    return {
      lines: [`${file}: ${t.nRows} rows × ${t.columnNames.length} columns`, formatSummary(t)],
      data: { file, rows: t.nRows, columns: summarize(t) },
    };
  },
});
