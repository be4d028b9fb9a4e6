/**
 * The raw layer of the CSV reader: decompressed bytes → csv-parse → header + batches of text
 * records with their line numbers. Handles BOM, quoted fields with embedded newlines, any
 * delimiter, and bad rows (an error naming file and line, or skipped and reported).
 *
 *   for await (const batch of csvRecords('x.csv.gz', { delimiter: ';' }, (h) => …)) batch.rows
 */
import type { Readable } from 'node:stream';
import { type CsvError as ParseError, parse } from 'csv-parse';
import { CsvError, DataFormatError } from '../errors.js';
import { type OpenedFile, openDecompressed } from './compression.js';

export type OnBadRow = 'error' | 'skip';

export interface CsvRecordOptions {
  /** Field delimiter. Default ','. */
  delimiter?: string;
  /** Quote character. Default '"'. */
  quote?: string;
  /** The first record is the header. Default true; false names columns 'column_0', … (or `names`). */
  header?: boolean;
  /** Column names to use (replacing the header when `header` is true). */
  names?: string[];
  /** Lines starting with this are comments (error line numbers then skip them: csv-parse drops them unseen). */
  comment?: string;
  /** Records to skip before the header. Default 0. */
  skipRows?: number;
  /** A malformed row: throw a `CsvError` ('error', default) or skip it and call `onSkip`. */
  onBadRow?: OnBadRow;
  /** Called for each skipped row; default: one line to stderr. */
  onSkip?: (err: CsvError) => void;
  /** Zip member to read. */
  member?: string;
  /** Records per batch. Default 8192. */
  batchRows?: number;
}

export interface RecordBatch {
  rows: string[][];
  /** Line number (1-based, in the decompressed text) where each row ends. */
  lines: number[];
}

export interface CsvHeader {
  names: string[];
  file: OpenedFile;
}

const OTHER_DELIMITERS = [',', ';', '\t', '|'];

/** pandas' header clean-up: empty names → 'Unnamed: i', duplicates → 'name.1', 'name.2'. */
export function cleanHeader(fields: string[]): string[] {
  const seen = new Map<string, number>();
  return fields.map((f, i) => {
    let name = f.trim() === '' ? `Unnamed: ${i}` : f;
    const n = seen.get(name) ?? 0;
    seen.set(name, n + 1);
    if (n > 0) name = `${name}.${n}`;
    return name;
  });
}

function checkDelimiter(path: string, fields: string[], delimiter: string): void {
  if (fields.length !== 1) return;
  const other = OTHER_DELIMITERS.find((d) => d !== delimiter && (fields[0] ?? '').includes(d));
  if (!other) return;
  const shown = other === '\t' ? '\\t' : other;
  throw new CsvError(
    path,
    { line: 1 },
    `the header is one field '${fields[0]}' when split on ${JSON.stringify(delimiter)}, but it contains ` +
      `'${shown}': the file looks ${other === '\t' ? 'tab' : `'${shown}'`}-separated; pass delimiter '${shown}' (--delimiter '${shown}')`,
  );
}

function defaultSkip(err: CsvError): void {
  process.stderr.write(`skipped ${err.message}\n`);
}

function wrapParseError(path: string, err: unknown): Error {
  if (err instanceof DataFormatError || err instanceof CsvError) return err;
  const e = err as ParseError & { lines?: number };
  if (typeof e?.code === 'string' && e.code.startsWith('CSV')) {
    const msg = e.message.replace(/^Invalid Record Length: /, '');
    return new CsvError(path, { line: e.lines }, `${msg} (check the quoting and the delimiter)`, {
      cause: err,
    });
  }
  return new DataFormatError(path, `cannot parse as CSV: ${(err as Error)?.message ?? err}`, { cause: err });
}

/** Newlines inside a record's (quoted) fields. */
function newlines(fields: string[]): number {
  let n = 0;
  for (const f of fields) {
    for (let i = f.indexOf('\n'); i >= 0; i = f.indexOf('\n', i + 1)) n++;
  }
  return n;
}

/** A Readable in object mode as arrays of up to `size` records, read synchronously while data is buffered. */
async function* readBatches(stream: Readable, size: number): AsyncGenerator<string[][]> {
  let done = false;
  let failure: unknown;
  let wake: (() => void) | undefined;
  stream.on('readable', () => wake?.());
  stream.on('end', () => {
    done = true;
    wake?.();
  });
  stream.on('error', (err) => {
    failure = err;
    wake?.();
  });
  let buf: string[][] = [];
  while (true) {
    for (let r = stream.read() as string[] | null; r !== null; r = stream.read() as string[] | null) {
      buf.push(r);
      if (buf.length >= size) {
        yield buf;
        buf = [];
      }
    }
    if (failure) throw failure;
    if (done) break;
    await new Promise<void>((resolve) => {
      wake = resolve;
    });
    wake = undefined;
  }
  if (buf.length) yield buf;
}

/**
 * Batches of text records after the header. `onHeader` receives the column names (and the opened
 * file, for progress) before the first batch.
 */
export async function* csvRecords(
  path: string,
  o: CsvRecordOptions,
  onHeader: (h: CsvHeader) => void,
): AsyncGenerator<RecordBatch> {
  const file = await openDecompressed(path, { member: o.member });
  const delimiter = o.delimiter ?? ',';
  const skip = o.onBadRow === 'skip';
  const onSkip = o.onSkip ?? defaultSkip;
  const parser = parse({
    delimiter,
    quote: o.quote ?? '"',
    bom: true,
    skip_empty_lines: false,
    relax_column_count: true,
    comment: o.comment,
    skip_records_with_error: skip,
  });
  parser.on('skip', (err: ParseError & { lines?: number }) => {
    onSkip(new CsvError(path, { line: err.lines }, err.message));
  });
  file.stream.on('error', (err) => parser.destroy(err));
  file.stream.pipe(parser);
  const batchRows = o.batchRows ?? 8192;
  let names: string[] | undefined;
  let skipped = 0;
  let batch: RecordBatch = { rows: [], lines: [] };
  // Line numbers are counted here (csv-parse's per-record info costs a third of the parse):
  // a record starts on the line after the previous one ended and spans its fields' newlines.
  let line = 1;
  try {
    for await (const records of readBatches(parser, 4096)) {
      for (const fields of records) {
        const start = line;
        line += 1 + newlines(fields);
        if (fields.length === 1 && fields[0] === '') continue; // an empty line
        if (skipped < (o.skipRows ?? 0)) {
          skipped++;
          continue;
        }
        if (!names) {
          if (o.header !== false) checkDelimiter(path, fields, delimiter);
          names = cleanHeader(o.names ?? (o.header === false ? fields.map((_, i) => `column_${i}`) : fields));
          onHeader({ names, file });
          if (o.header !== false) continue;
        }
        if (fields.length !== names.length) {
          const err = new CsvError(
            path,
            { line: start },
            `has ${fields.length} fields but the header has ${names.length} ([${names.join(', ')}]): ` +
              'a wrong delimiter, an unquoted delimiter or quote inside a field, or a truncated row? ' +
              "Fix the row, or pass onBadRow 'skip' (--on-bad-row skip) to drop such rows",
          );
          if (!skip) throw err;
          onSkip(err);
          continue;
        }
        batch.rows.push(fields);
        batch.lines.push(start);
        if (batch.rows.length >= batchRows) {
          yield batch;
          batch = { rows: [], lines: [] };
        }
      }
    }
  } catch (err) {
    throw wrapParseError(path, err);
  } finally {
    file.stream.destroy();
    parser.destroy();
  }
  if (!names) {
    if (o.names) onHeader({ names: cleanHeader(o.names), file });
    else throw new DataFormatError(path, 'is empty: no header row (pass names to read a file without one)');
  }
  if (batch.rows.length > 0) yield batch;
}
