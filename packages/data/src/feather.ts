/**
 * Feather v2 (= the Arrow IPC file format) read and write with `apache-arrow`, whole tables or
 * streamed in record batches with bounded memory.
 *
 *   await writeFeather('out.feather', { columns: { x: [1, 2], s: ['a', null] } });
 *   await writeFeather('rows.feather', [{ url: 'https://…', title: 'T', fetchedAt: new Date() }]);
 *   const table = await readFeather('out.feather');
 *   for await (const chunk of readFeatherBatches('big.feather')) …
 */

import { once } from 'node:events';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { finished } from 'node:stream/promises';
import { checkInputFile } from '@dlpipe/core';
import * as arrow from 'apache-arrow';
import { arrowSchemaOf, arrowToTable, tableToRecordBatch } from './arrow-convert.js';
import { DataFormatError } from './errors.js';
import { type AtomicTarget, openAtomicTarget } from './io/atomic-target.js';
import type { ColumnInput, DType } from './table/column.js';
import { Table } from './table/table.js';

/** What `writeFeather` accepts: a Table, a record of columns, or row objects. */
export type TableLike =
  | Table
  | { columns: Record<string, ColumnInput> }
  | ReadonlyArray<Record<string, unknown>>;

export interface WriteFeatherOptions {
  /** Per-column dtype overrides when the input is not yet a Table. */
  dtypes?: Record<string, DType>;
  /** Rows per record batch. Default 65,536. */
  batchRows?: number;
}

/** Any `TableLike` as a Table. */
export function toTable(input: TableLike, dtypes?: Record<string, DType>): Table {
  if (input instanceof Table) return input;
  if (Array.isArray(input)) return Table.fromRows(input, { dtypes });
  return Table.fromColumns((input as { columns: Record<string, ColumnInput> }).columns, { dtypes });
}

/** Writes a table as Feather v2, atomically (a temporary file renamed into place). */
export async function writeFeather(
  path: string,
  input: TableLike,
  options: WriteFeatherOptions = {},
): Promise<Table> {
  const table = toTable(input, options.dtypes);
  const writer = new FeatherWriter(path);
  const step = options.batchRows ?? 65536;
  try {
    if (table.nRows === 0) await writer.write(table);
    for (let at = 0; at < table.nRows; at += step) await writer.write(table.slice(at, at + step));
    await writer.close();
  } catch (err) {
    await writer.abort();
    throw err;
  }
  return table;
}

/**
 * Streams tables (all with the same columns and dtypes) into one Feather file. Each `write`
 * moves the batch's bytes from apache-arrow's writer queue (unbounded) to the file and waits
 * for the file to drain, so memory stays bounded whatever the sizes.
 */
export class FeatherWriter {
  private writer: arrow.RecordBatchFileWriter | undefined;
  private out: WriteStream | undefined;
  private bytes: AsyncIterator<Uint8Array> | undefined;
  private next: Promise<IteratorResult<Uint8Array>> | undefined;
  private schema: arrow.Schema | undefined;
  private target: AtomicTarget | undefined;

  constructor(readonly path: string) {}

  /** Opens the temporary file (core's withAtomicFile) and the arrow writer. */
  private async start(schema: arrow.Schema): Promise<void> {
    this.schema = schema;
    this.target = await openAtomicTarget(this.path);
    this.writer = new arrow.RecordBatchFileWriter();
    this.out = createWriteStream(this.target.tmp);
    this.out.on('error', () => undefined); // surfaced by flush/close
    this.bytes = this.writer[Symbol.asyncIterator]();
    this.next = this.bytes.next();
  }

  /** Writes what the arrow writer has queued; stops when the queue is empty (or ended). */
  private async flush(): Promise<boolean> {
    const empty = Symbol('empty');
    while (true) {
      const r = await Promise.race([
        this.next!,
        new Promise<typeof empty>((res) => setImmediate(() => res(empty))),
      ]);
      if (r === empty) return false;
      if (r.done) return true;
      this.next = this.bytes!.next();
      if (!this.out!.write(r.value)) await once(this.out!, 'drain');
    }
  }

  /** Appends a chunk; the first chunk fixes the schema. */
  async write(chunk: Table): Promise<void> {
    const schema = arrowSchemaOf(chunk);
    if (!this.writer) await this.start(schema);
    else if (!sameSchema(this.schema!, schema)) {
      throw new DataFormatError(
        this.path,
        `chunk schema ${describe(schema)} differs from the first chunk's ${describe(this.schema!)}`,
      );
    }
    this.writer!.write(tableToRecordBatch(chunk, this.schema));
    await this.flush();
  }

  /** Finishes the file and moves it into place. */
  async close(): Promise<void> {
    if (!this.writer) throw new DataFormatError(this.path, 'nothing was written (no chunk, so no schema)');
    this.writer.close();
    while (!(await this.flush()));
    this.out!.end();
    await finished(this.out!);
    await this.target!.commit();
  }

  /** Drops the partial file. */
  async abort(): Promise<void> {
    this.next?.catch(() => undefined);
    this.writer?.abort();
    this.out?.destroy();
    if (this.out) await finished(this.out).catch(() => undefined);
    await this.target?.discard();
  }
}

function sameSchema(a: arrow.Schema, b: arrow.Schema): boolean {
  return describe(a) === describe(b);
}

function describe(s: arrow.Schema): string {
  return `{${s.fields.map((f) => `${f.name}: ${String(f.type)}`).join(', ')}}`;
}

/** Translates apache-arrow's errors into one that names the file and the fix. */
export function featherError(path: string, err: unknown): DataFormatError {
  const msg = (err as Error)?.message ?? String(err);
  if (/compression not implemented/i.test(msg)) {
    return new DataFormatError(
      path,
      "the file is compressed (LZ4/ZSTD, pyarrow's default) and apache-arrow for JS cannot decompress it: " +
        "re-save it uncompressed (pandas: df.to_feather(path, compression='uncompressed'))",
      { cause: err },
    );
  }
  return new DataFormatError(path, `not a readable Feather v2 / Arrow IPC file: ${msg}`, { cause: err });
}

const MAGIC = 'ARROW1';

/**
 * Refuses a file that cannot be a whole Feather v2 file before apache-arrow reads it (its errors
 * on such files are internal ones, as "Cannot read properties of null"): missing or a folder,
 * empty, Feather v1, or an Arrow IPC file that does not end with its footer (truncated).
 */
export async function checkFeatherFile(path: string): Promise<void> {
  checkInputFile(path, 'Feather file');
  const fh = await open(path, 'r');
  try {
    const { size } = await fh.stat();
    if (size === 0) throw new DataFormatError(path, 'is empty (0 bytes); expected a Feather v2 file');
    const head = Buffer.alloc(Math.min(8, size));
    await fh.read(head, 0, head.length, 0);
    const tail = Buffer.alloc(Math.min(MAGIC.length, size));
    await fh.read(tail, 0, tail.length, size - tail.length);
    if (head.subarray(0, 4).toString('latin1') === 'FEA1') {
      throw new DataFormatError(
        path,
        'this is Feather v1, which apache-arrow cannot read; re-save it as Feather v2',
      );
    }
    if (head.subarray(0, MAGIC.length).toString('latin1') === MAGIC && tail.toString('latin1') !== MAGIC) {
      throw new DataFormatError(
        path,
        `is truncated or corrupt: a Feather v2 file ends with its footer and '${MAGIC}', this one (${size} bytes) ` +
          'does not (cut while being written or copied?): write or download it again',
      );
    }
  } finally {
    await fh.close();
  }
}

/** Reads a whole Feather v2 / Arrow IPC file (file or stream format) into a Table. */
export async function readFeather(path: string): Promise<Table> {
  await checkFeatherFile(path);
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (err) {
    throw new DataFormatError(path, `cannot read: ${(err as Error).message}`, { cause: err });
  }
  try {
    return arrowToTable(arrow.tableFromIPC(bytes), path);
  } catch (err) {
    if (err instanceof DataFormatError) throw err;
    throw featherError(path, err);
  }
}

/** Reads a Feather file one record batch at a time (bounded memory). */
export async function* readFeatherBatches(path: string): AsyncGenerator<Table> {
  await checkFeatherFile(path);
  try {
    const reader = await arrow.RecordBatchReader.from(createReadStream(path));
    for await (const batch of reader) yield arrowToTable(batch, path);
  } catch (err) {
    if (err instanceof DataFormatError) throw err;
    throw featherError(path, err);
  }
}
