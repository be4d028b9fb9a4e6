/**
 * Table → CSV text, plain, .gz or .zip by the file name, streamed chunk by chunk, as pandas'
 * `to_csv(index=False)`: missing values as empty fields, booleans as True/False, dates as
 * YYYY-MM-DD (or full ISO 8601 when a time is set), fields quoted only when needed.
 *
 *   await writeCsv('out.csv.gz', table);
 *   const w = new CsvWriter('big.csv'); await w.write(chunk); … await w.close();
 */
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { DataFormatError } from '../errors.js';
import { type Column, isMissing } from '../table/column.js';
import type { Table } from '../table/table.js';
import { type AtomicTarget, openAtomicTarget } from './atomic-target.js';
import {
  type Compression,
  checkWritable,
  compressionFromName,
  memberName,
  openCompressedWrite,
} from './compression.js';

export interface WriteCsvOptions {
  /** Default ','. */
  delimiter?: string;
  /** Write the header line. Default true. */
  header?: boolean;
  /** Line terminator. Default '\n'. */
  lineTerminator?: string;
  /** Default: from the file name (.gz, .zip, else plain). */
  compression?: Compression;
}

const DAY = 86_400_000;

function formatDate(ms: number, dateOnly: boolean): string {
  const iso = new Date(ms).toISOString();
  return dateOnly ? iso.slice(0, 10) : iso;
}

/** True when every present value of a date column is midnight UTC. */
function datesOnly(col: Column): boolean {
  if (col.dtype !== 'date') return false;
  return col.data.every((v) => Number.isNaN(v) || v % DAY === 0);
}

/** A field quoted when it holds the delimiter, a quote, a newline or edge spaces. */
export function quoteField(s: string, delimiter: string): string {
  if (s.includes(delimiter) || s.includes('"') || s.includes('\n') || s.includes('\r') || /^\s|\s$/.test(s)) {
    return `"${s.replaceAll('"', '""')}"`;
  }
  return s;
}

function formatCell(col: Column, i: number, dateOnly: boolean, delimiter: string): string {
  if (isMissing(col, i)) return '';
  switch (col.dtype) {
    case 'string':
      return quoteField(col.data[i]!, delimiter);
    case 'bool':
      return col.data[i] ? 'True' : 'False';
    case 'date':
      return formatDate(col.data[i]!, dateOnly);
    default: {
      const v = col.data[i]!;
      return v === Infinity ? 'inf' : v === -Infinity ? '-inf' : String(v);
    }
  }
}

/** CSV text of a table's rows (and header). */
export function formatCsv(table: Table, o: WriteCsvOptions = {}, dateOnly?: boolean[]): string {
  const d = o.delimiter ?? ',';
  const nl = o.lineTerminator ?? '\n';
  const only = dateOnly ?? table.columns.map(datesOnly);
  const lines: string[] = [];
  if (o.header !== false) lines.push(table.columnNames.map((n) => quoteField(n, d)).join(d));
  for (let i = 0; i < table.nRows; i++) {
    lines.push(table.columns.map((c, j) => formatCell(c, i, only[j]!, d)).join(d));
  }
  return lines.length ? `${lines.join(nl)}${nl}` : '';
}

/** Streams tables into one CSV file, atomically (core's withAtomicFile: a hidden temporary file renamed on close). */
export class CsvWriter {
  private out: { stream: Writable; done: Promise<void> } | undefined;
  private target: AtomicTarget | undefined;
  private readonly compression: Compression;
  private wroteHeader = false;
  private columns: string[] | undefined;

  constructor(
    readonly path: string,
    private readonly o: WriteCsvOptions = {},
  ) {
    this.compression = o.compression ?? compressionFromName(path);
    checkWritable(path, this.compression);
  }

  /** The compressed stream into the temporary file, opened at the first write. */
  private async open(): Promise<{ stream: Writable; done: Promise<void> }> {
    if (this.out) return this.out;
    this.target = await openAtomicTarget(this.path);
    this.out = openCompressedWrite(this.target.tmp, this.compression, memberName(this.path));
    this.out.done.catch(() => undefined); // surfaced by write/close
    return this.out;
  }

  /** Appends rows; the first chunk's columns are the header. Dates use full ISO when any has a time. */
  async write(chunk: Table, dateOnly?: boolean[]): Promise<void> {
    if (!this.columns) this.columns = chunk.columnNames;
    else if (chunk.columnNames.join('\u0000') !== this.columns.join('\u0000')) {
      throw new DataFormatError(
        this.path,
        `chunk columns [${chunk.columnNames}] differ from [${this.columns}]`,
      );
    }
    const text = formatCsv(
      chunk,
      { ...this.o, header: this.o.header !== false && !this.wroteHeader },
      dateOnly,
    );
    this.wroteHeader = true;
    const out = await this.open();
    // 'drain', or the stream's failure (a full disk) instead of waiting for ever
    if (!out.stream.write(text)) await Promise.race([once(out.stream, 'drain'), out.done]);
  }

  /** Finishes the file and moves it into place. */
  async close(): Promise<void> {
    const out = await this.open();
    out.stream.end();
    await out.done;
    await this.target!.commit();
  }

  /** Drops the partial file; the target is untouched. */
  async abort(): Promise<void> {
    this.out?.stream.destroy();
    await this.out?.done.catch(() => undefined);
    await this.target?.discard();
  }
}

/** Writes a whole table as CSV (compressed by the file name). */
export async function writeCsv(path: string, table: Table, options: WriteCsvOptions = {}): Promise<void> {
  const w = new CsvWriter(path, options);
  try {
    const step = 65536;
    const dateOnly = table.columns.map(datesOnly);
    if (table.nRows === 0) await w.write(table);
    for (let at = 0; at < table.nRows; at += step) await w.write(table.slice(at, at + step), dateOnly);
    await w.close();
  } catch (err) {
    await w.abort();
    throw err;
  }
}
