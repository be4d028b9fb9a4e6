/**
 * The raw layer of the CSV reader: decompressed bytes → UTF-8 check → csv-parse → header + batches
 * of text records with their line numbers. Handles BOM, quoted fields with embedded newlines, any
 * delimiter, bad rows (an error naming file and line, or skipped and reported), invalid UTF-8 (an
 * error naming file, line and byte, or U+FFFD, or the file read as Latin-1) and absurdly wide
 * headers (an error, not gigabytes of buffers).
 *
 *   for await (const batch of csvRecords('x.csv.gz', { delimiter: ';' }, (h) => …)) batch.rows
 */
import type { Readable, Transform } from 'node:stream';
import { OptionsError } from '@dlpipe/core';
import { type CsvError as ParseError, parse } from 'csv-parse';
import { CsvError, DataFormatError } from '../errors.js';
import { type OpenedFile, openDecompressed } from './compression.js';
import { asciiByte, firstRecordWidth } from './first-record-width.js';
import { utf8Check } from './utf8-check.js';

export type OnBadRow = 'error' | 'skip';

/** How a CSV's bytes are text: UTF-8 (with or without BOM), or Latin-1 (ISO-8859-1: a byte is a character). */
export const CSV_ENCODINGS = ['utf8', 'latin1'] as const;
export type CsvEncoding = (typeof CSV_ENCODINGS)[number];

/** What an invalid UTF-8 byte does: stop with its file, line and byte offset, or become U+FFFD. */
export const INVALID_UTF8 = ['error', 'replace'] as const;
export type InvalidUtf8 = (typeof INVALID_UTF8)[number];

/** The default `maxColumns`: wider headers are almost always a wrong delimiter or a file without line breaks. */
export const DEFAULT_MAX_COLUMNS = 100_000;

/** Text cells per batch at most (rows per batch shrink for wide tables, so memory stays bounded). */
export const CELLS_PER_BATCH = 1 << 20;

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
  /** Records per batch (fewer for wide tables: at most CELLS_PER_BATCH cells). Default 8192. */
  batchRows?: number;
  /** The bytes' text encoding: 'utf8' (default) or 'latin1'. */
  encoding?: CsvEncoding;
  /** Invalid UTF-8 (encoding 'utf8'): a CsvError naming file, line and byte ('error', default), or U+FFFD ('replace'). */
  invalidUtf8?: InvalidUtf8;
  /** Most columns a header may have. Default 100,000 (DEFAULT_MAX_COLUMNS). */
  maxColumns?: number;
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

/** Refuses option values csv-parse would misread (the CLI's flags are checked by their own schema). */
function checkOptions(o: CsvRecordOptions): void {
  if (o.encoding !== undefined && !CSV_ENCODINGS.includes(o.encoding)) {
    throw new OptionsError(`encoding must be one of ${CSV_ENCODINGS.join(', ')}, got '${o.encoding}'`);
  }
  if (o.invalidUtf8 !== undefined && !INVALID_UTF8.includes(o.invalidUtf8)) {
    throw new OptionsError(`invalidUtf8 must be one of ${INVALID_UTF8.join(', ')}, got '${o.invalidUtf8}'`);
  }
  if (o.maxColumns !== undefined && !(Number.isInteger(o.maxColumns) && o.maxColumns > 0)) {
    throw new OptionsError(`maxColumns must be a positive integer, got ${o.maxColumns}`);
  }
}

/** The 1-based line of a byte offset of the decompressed text (read again: only on an error). */
async function lineAt(path: string, member: string | undefined, offset: number): Promise<number> {
  const again = await openDecompressed(path, { member });
  let line = 1;
  let seen = 0;
  try {
    for await (const chunk of again.stream as AsyncIterable<Buffer>) {
      const end = Math.min(chunk.length, offset - seen);
      for (let i = chunk.indexOf(10); i >= 0 && i < end; i = chunk.indexOf(10, i + 1)) line++;
      seen += chunk.length;
      if (seen >= offset) break;
    }
  } finally {
    again.stream.destroy();
  }
  return line;
}

/** The CsvError of an invalid UTF-8 sequence at `offset`. */
async function invalidUtf8Error(
  path: string,
  member: string | undefined,
  offset: number,
  bytes: Uint8Array,
): Promise<CsvError> {
  const hex = [...bytes].map((b) => `0x${b.toString(16).padStart(2, '0')}`).join(' ');
  const line = await lineAt(path, member, offset).catch(() => undefined);
  if (bytes[0] === 0) {
    return new CsvError(path, { line }, `a NUL byte at byte ${offset}: this is a binary file, not CSV text`);
  }
  const utf16 =
    offset === 0 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff));
  const fix = utf16
    ? 'the file starts with a UTF-16 byte-order mark: re-encode it as UTF-8 (iconv -f UTF-16 -t UTF-8)'
    : "if the file is Latin-1, pass encoding 'latin1' (--encoding latin1); to read bad bytes as U+FFFD, " +
      "invalidUtf8 'replace' (--invalid-utf8 replace); or re-encode it (iconv -f latin1 -t utf-8)";
  return new CsvError(
    path,
    { line },
    `invalid UTF-8 at byte ${offset} (${hex}); expected UTF-8 text: ${fix}`,
  );
}

/** The error of a first record wider than `max` (`atLeast`: counted on the raw bytes, and stopped there). */
function tooWide(path: string, columns: number, max: number, atLeast = false): CsvError {
  return new CsvError(
    path,
    { line: 1 },
    `the first row has ${atLeast ? 'at least ' : ''}${columns} fields, more than the limit of ${max} columns ` +
      '(a wrong delimiter, or a file without line breaks?); if the table really is that wide, raise ' +
      'maxColumns (--max-columns N)',
  );
}

/** The byte-level checks between the file and csv-parse: the first record's width, then UTF-8. */
function byteChecks(
  path: string,
  o: CsvRecordOptions,
  file: OpenedFile,
  delimiter: string,
  maxColumns: number,
): Transform[] {
  const stages: Transform[] = [];
  const d = asciiByte(delimiter);
  const q = asciiByte(o.quote ?? '"');
  if (d !== undefined && q !== undefined && !o.names) {
    stages.push(firstRecordWidth(d, q, maxColumns, (n) => tooWide(path, n, maxColumns, true)));
  }
  if ((o.encoding ?? 'utf8') === 'utf8' && o.invalidUtf8 !== 'replace') {
    stages.push(utf8Check((at, bytes) => invalidUtf8Error(path, file.member ?? o.member, at, bytes)));
  }
  return stages;
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
  checkOptions(o);
  const file = await openDecompressed(path, { member: o.member });
  const delimiter = o.delimiter ?? ',';
  const encoding = o.encoding ?? 'utf8';
  const maxColumns = o.maxColumns ?? DEFAULT_MAX_COLUMNS;
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
    encoding,
  });
  parser.on('skip', (err: ParseError & { lines?: number }) => {
    onSkip(new CsvError(path, { line: err.lines }, err.message));
  });
  file.stream.on('error', (err) => parser.destroy(err));
  const stages = byteChecks(path, o, file, delimiter, maxColumns);
  let bytes: Readable = file.stream;
  for (const stage of stages) {
    stage.on('error', (err) => parser.destroy(err));
    bytes = bytes.pipe(stage);
  }
  bytes.pipe(parser);
  let batchRows = o.batchRows ?? 8192;
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
          const width = o.names?.length ?? fields.length;
          if (width > maxColumns) throw tooWide(path, width, maxColumns);
          batchRows = Math.max(1, Math.min(batchRows, Math.floor(CELLS_PER_BATCH / width)));
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
    for (const stage of stages) stage.destroy();
    parser.destroy();
  }
  if (!names) {
    if (o.names) onHeader({ names: cleanHeader(o.names), file });
    else throw new DataFormatError(path, 'is empty: no header row (pass names to read a file without one)');
  }
  if (batch.rows.length > 0) yield batch;
}
