/**
 * The flags every `dlpipe-data` command that reads a table takes (--delimiter, --dtype,
 * --on-bad-row, --encoding, --invalid-utf8, --max-columns), declared once, and the read options
 * they make: skipped bad rows are reported on stderr (the first 20, then only counted).
 *
 *   flags: { ...readFlags, n: … }
 *   const skipped = skipReporter();
 *   const t = await readTable(file, readOptions(values, skipped));
 */
import {
  CSV_ENCODINGS,
  type CsvEncoding,
  DEFAULT_MAX_COLUMNS,
  DTYPES,
  type DType,
  INVALID_UTF8,
  type InvalidUtf8,
  type ReadCsvOptions,
} from '@dlpipe/data';
import { z } from 'zod';

/** '\t' and 'tab' mean a tab. */
const delimiterField = () =>
  z
    .string()
    .optional()
    .transform((d) => (d === '\\t' || d === 'tab' ? '\t' : d));

/** `--dtype col=type` (repeatable) as a record; a bad one is an issue naming it. */
const dtypeField = z
  .array(z.string())
  .default([])
  .transform((specs, ctx) => {
    const out: Record<string, DType> = {};
    for (const s of specs) {
      const m = /^(.+)=(\w+)$/.exec(s);
      if (m && DTYPES.includes(m[2] as DType)) out[m[1]!] = m[2] as DType;
      else
        ctx.issues.push({
          code: 'custom',
          input: s,
          message: `'${s}': expected COL=TYPE with TYPE one of ${DTYPES.join(', ')}`,
        });
    }
    return out;
  })
  .meta({
    placeholder: 'COL=TYPE',
    description: `a column's type (${DTYPES.join(', ')}); repeat for more columns`,
  });

export const readFlags = {
  delimiter: delimiterField().meta({
    placeholder: 'CHAR',
    description: "the field delimiter, 'tab' for a tab (default: tab for .tsv, else ',')",
  }),
  dtype: dtypeField,
  onBadRow: z
    .enum(['error', 'skip'])
    .default('error')
    .describe('a malformed row: stop with its file and line, or skip it and say so'),
  encoding: z
    .enum(CSV_ENCODINGS)
    .default('utf8')
    .describe("a CSV's text encoding: utf8, or latin1 (ISO-8859-1: every byte is a character)"),
  invalidUtf8: z
    .enum(INVALID_UTF8)
    .default('error')
    .describe('an invalid UTF-8 byte: stop with its file, line and byte offset, or read it as U+FFFD'),
  maxColumns: z.coerce.number().int().positive().default(DEFAULT_MAX_COLUMNS).meta({
    placeholder: 'N',
    description: 'the widest header accepted (a guard against a wrong delimiter)',
  }),
};

/** The output delimiter flag of commands that write CSV. */
export const outDelimiterFlag = delimiterField().meta({
  placeholder: 'CHAR',
  description: 'the delimiter of a CSV output (default: as for --delimiter)',
});

/** Counts skipped rows and prints the first 20 of them on stderr. */
export interface SkipReporter {
  onSkip(err: Error): void;
  readonly count: number;
}

export function skipReporter(): SkipReporter {
  let count = 0;
  return {
    onSkip(err) {
      count++;
      if (count <= 20) process.stderr.write(`skipped ${err.message}\n`);
      if (count === 21) process.stderr.write('(more skipped rows are counted, not shown)\n');
    },
    get count() {
      return count;
    },
  };
}

/** The read options of the parsed `readFlags`. */
export function readOptions(
  o: {
    delimiter: string | undefined;
    dtype: Record<string, DType>;
    onBadRow: 'error' | 'skip';
    encoding: CsvEncoding;
    invalidUtf8: InvalidUtf8;
    maxColumns: number;
  },
  skipped: SkipReporter,
): ReadCsvOptions {
  return {
    delimiter: o.delimiter,
    dtypes: o.dtype,
    onBadRow: o.onBadRow,
    onSkip: (e) => skipped.onSkip(e),
    encoding: o.encoding,
    invalidUtf8: o.invalidUtf8,
    maxColumns: o.maxColumns,
  };
}
