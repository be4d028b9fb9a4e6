/**
 * Tables from and to files, the format chosen by the name: `.feather`/`.arrow` (Arrow IPC) or
 * CSV (`.csv`, `.tsv`, `.txt`, each optionally `.gz`/`.zip`/`.bz2`/`.zst`; reading detects the
 * compression by magic bytes). `convertTable` streams one into the other with bounded memory.
 *
 *   const t = await readTable('data/tables/iris.csv');
 *   await convertTable('in.csv.gz', 'out.feather', { onProgress });
 */
import { stat } from 'node:fs/promises';
import { checkInputFile, checkOutputFile } from '@dlpipe/core';
import { DataFormatError } from '../errors.js';
import { FeatherWriter, readFeather, readFeatherBatches } from '../feather.js';
import type { Table } from '../table/table.js';
import { compressionFromName } from './compression.js';
import { type ReadCsvChunksOptions, type ReadCsvOptions, readCsv, readCsvChunks } from './csv-read.js';
import { CsvWriter, type WriteCsvOptions, writeCsv } from './csv-write.js';

export type TableFormat = 'csv' | 'feather';

/** The format a file name implies. */
export function formatOf(path: string): TableFormat {
  const base = path.replace(/\.(gz|gzip|zip|bz2|zst|zstd)$/i, '');
  if (/\.(feather|arrow|ipc)$/i.test(base)) return 'feather';
  return 'csv';
}

/** The default delimiter for a name: tab for .tsv, else comma. */
function delimiterFor(path: string, given?: string): string {
  return given ?? (/\.tsv(\.\w+)?$/i.test(path) ? '\t' : ',');
}

/** Reads a CSV or Feather file into a Table. */
export async function readTable(path: string, options: ReadCsvOptions = {}): Promise<Table> {
  if (formatOf(path) === 'feather') return readFeather(path);
  return readCsv(path, { ...options, delimiter: delimiterFor(path, options.delimiter) });
}

/** Writes a Table as CSV or Feather (by the name). */
export async function writeTable(path: string, table: Table, options: WriteCsvOptions = {}): Promise<void> {
  checkOutputFile(path, 'table written');
  if (formatOf(path) === 'feather') {
    if (compressionFromName(path) !== 'none') {
      throw new DataFormatError(path, 'Feather files are not wrapped in .gz/.zip; drop the extension');
    }
    const w = new FeatherWriter(path);
    try {
      await w.write(table);
      await w.close();
    } catch (err) {
      await w.abort();
      throw err;
    }
    return;
  }
  await writeCsv(path, table, { ...options, delimiter: delimiterFor(path, options.delimiter) });
}

/** Chunks of a CSV or Feather file. */
export function readTableChunks(path: string, options: ReadCsvChunksOptions = {}): AsyncGenerator<Table> {
  if (formatOf(path) === 'feather') return readFeatherBatches(path);
  return readCsvChunks(path, { ...options, delimiter: delimiterFor(path, options.delimiter) });
}

export interface ConvertOptions extends ReadCsvChunksOptions {
  /** Options of the CSV written, when the output is CSV. */
  write?: WriteCsvOptions;
}

export interface ConvertResult {
  rows: number;
  columns: string[];
  dtypes: Record<string, string>;
  bytesIn: number;
  bytesOut: number;
}

/** Converts between CSV (any compression) and Feather, chunk by chunk; the output appears atomically. */
export async function convertTable(
  input: string,
  output: string,
  options: ConvertOptions = {},
): Promise<ConvertResult> {
  checkInputFile(input, 'table to convert');
  checkOutputFile(output, 'converted table');
  const toFeather = formatOf(output) === 'feather';
  if (toFeather && compressionFromName(output) !== 'none') {
    throw new DataFormatError(output, 'Feather files are not wrapped in .gz/.zip; drop the extension');
  }
  const writer = toFeather
    ? new FeatherWriter(output)
    : new CsvWriter(output, { ...options.write, delimiter: delimiterFor(output, options.write?.delimiter) });
  let rows = 0;
  let first: Table | undefined;
  try {
    for await (const chunk of readTableChunks(input, { chunkRows: 16384, ...options })) {
      first ??= chunk;
      rows += chunk.nRows;
      await writer.write(chunk);
    }
    await writer.close();
  } catch (err) {
    await writer.abort();
    throw err;
  }
  return {
    rows,
    columns: first?.columnNames ?? [],
    dtypes: first?.dtypes ?? {},
    bytesIn: (await stat(input)).size,
    bytesOut: (await stat(output)).size,
  };
}
