/**
 * `pnpm data head file [-n 10]` and `pnpm data info file`: a preview, and per-column dtypes,
 * missing counts and pandas-describe statistics.
 *
 *   pnpm data head data/label/iris.csv -n 5
 */
import { formatSummary, formatTable, readTable } from '@dlpipe/data';
import { z } from 'zod';
import { type Command, delimiter, parse, parseDtypes } from '../args.js';

const HEAD_USAGE = `usage: pnpm data head <file> [-n 10] [--delimiter ,] [--dtype col=type]...

Prints the first rows of a CSV (any compression) or Feather file.`;
const INFO_USAGE = `usage: pnpm data info <file> [--delimiter ,] [--dtype col=type]...

Prints rows, columns, each column's dtype, missing values and statistics (pandas describe).`;

const schema = z.object({
  _: z.tuple([z.string()]),
  n: z.coerce.number().int().min(0).default(10),
  delimiter: z.string().optional(),
  dtype: z.array(z.string()).optional(),
});
const options = {
  n: { type: 'string', short: 'n' },
  delimiter: { type: 'string' },
  dtype: { type: 'string', multiple: true },
} as const;

export const head: Command = {
  summary: 'print the first rows of a table',
  usage: HEAD_USAGE,
  async run(argv) {
    const o = parse(argv, options, schema, HEAD_USAGE);
    const t = await readTable(o._[0], { delimiter: delimiter(o.delimiter), dtypes: parseDtypes(o.dtype) });
    console.log(formatTable(t.head(o.n)));
    console.log(`[${t.nRows} rows × ${t.columnNames.length} columns]`);
    return 0;
  },
};

export const info: Command = {
  summary: 'print dtypes, missing values and statistics per column',
  usage: INFO_USAGE,
  async run(argv) {
    const o = parse(argv, options, schema, INFO_USAGE);
    const t = await readTable(o._[0], { delimiter: delimiter(o.delimiter), dtypes: parseDtypes(o.dtype) });
    console.log(`${o._[0]}: ${t.nRows} rows × ${t.columnNames.length} columns`);
    console.log(formatSummary(t));
    return 0;
  },
};
