/**
 * CSV → `Table`, from plain, .gz, .zip, .bz2 or .zst files (detected by magic bytes), with header
 * and dtype inference (overridable), as pandas' `read_csv`. `readCsv` loads a whole file;
 * `readCsvChunks` streams tables of `chunkRows` rows with bounded memory.
 *
 *   const t = await readCsv('data/tables/iris.csv', { dtypes: { species: 'string' } });
 *   for await (const chunk of readCsvChunks('big.csv.gz', { chunkRows: 100_000 })) …
 */
import { CsvError } from '../errors.js';
import type { DType } from '../table/column.js';
import { DTypeGuess, NA_VALUES } from '../table/parse-cell.js';
import { Table } from '../table/table.js';
import { ChunkBuilder } from './chunk-builder.js';
import { type CsvHeader, type CsvRecordOptions, csvRecords, type RecordBatch } from './csv-records.js';

export interface ReadCsvOptions extends CsvRecordOptions {
  /** Per-column dtypes; columns not named are inferred. */
  dtypes?: Record<string, DType>;
  /** Only these columns, in this order. */
  usecols?: string[];
  /** More texts that mean "missing" (on top of pandas' defaults: '', NA, NaN, null, …). */
  naValues?: string[];
  /** Treat only `naValues` (and '') as missing, not pandas' defaults. Default true. */
  keepDefaultNa?: boolean;
  /** Reports header and byte progress (the CLI draws a ProgressBar). */
  onProgress?: (done: number, total: number) => void;
}

/** Cells per chunk at most: wide tables get fewer rows per chunk, so a chunk stays ~32 MB. */
export const CELLS_PER_CHUNK = 1 << 22;

export interface ReadCsvChunksOptions extends ReadCsvOptions {
  /** Rows per yielded table (fewer for wide tables: at most CELLS_PER_CHUNK cells). Default 65,536. */
  chunkRows?: number;
  /**
   * Rows that dtypes are inferred from: a number (buffered, then fixed), or 'all' for a first pass
   * over the whole file (exact like pandas, twice the reading time, still bounded memory). Default 'all'.
   */
  inferRows?: number | 'all';
}

/** The NA test for a set of options. */
function naTest(o: ReadCsvOptions): (t: string) => boolean {
  const extra = new Set(o.naValues ?? []);
  if (o.keepDefaultNa === false) return (t) => t === '' || extra.has(t);
  return (t) => NA_VALUES.has(t.trim()) || extra.has(t);
}

/** Columns of text out of a batch of records (only the wanted column indices). */
function transpose(batch: RecordBatch, idx: number[]): string[][] {
  const cols = idx.map(() => new Array<string>(batch.rows.length));
  for (let r = 0; r < batch.rows.length; r++) {
    const row = batch.rows[r]!;
    for (let c = 0; c < idx.length; c++) cols[c]![r] = row[idx[c]!]!;
  }
  return cols;
}

function columnIndex(path: string, names: string[], usecols?: string[]): number[] {
  if (!usecols) return names.map((_, i) => i);
  return usecols.map((u) => {
    const i = names.indexOf(u);
    if (i < 0) {
      throw new CsvError(
        path,
        { line: 1, column: u },
        `column not found; the header has [${names.join(', ')}]`,
      );
    }
    return i;
  });
}

/**
 * Reads a whole CSV file into a Table, with dtypes inferred over every row as pandas does. It
 * reads the file twice (types, then values) so that memory holds the typed table, not its text.
 */
export async function readCsv(path: string, options: ReadCsvOptions = {}): Promise<Table> {
  const chunks: Table[] = [];
  for await (const chunk of readCsvChunks(path, { ...options, inferRows: 'all' })) chunks.push(chunk);
  return chunks.length === 1 ? chunks[0]! : Table.concat(chunks);
}

function guess(texts: string[], isNa: (t: string) => boolean): DType {
  const g = new DTypeGuess();
  for (const t of texts) if (!isNa(t)) g.add(t);
  return g.dtype;
}

function checkDtypeNames(path: string, names: string[], dtypes?: Record<string, DType>): void {
  for (const k of Object.keys(dtypes ?? {})) {
    if (!names.includes(k)) {
      throw new CsvError(
        path,
        { line: 1, column: k },
        `dtype given for a column the file does not have ([${names.join(', ')}])`,
      );
    }
  }
}

/** Dtypes of every column, from a first pass over the whole file. */
export async function inferCsvDTypes(
  path: string,
  options: ReadCsvOptions = {},
): Promise<Record<string, DType>> {
  let names: string[] = [];
  let idx: number[] = [];
  let guesses: DTypeGuess[] = [];
  const isNa = naTest(options);
  for await (const batch of csvRecords(path, options, (h) => {
    idx = columnIndex(path, h.names, options.usecols);
    names = idx.map((i) => h.names[i]!);
    guesses = names.map(() => new DTypeGuess());
  })) {
    for (const row of batch.rows) {
      for (let c = 0; c < idx.length; c++) {
        const t = row[idx[c]!]!;
        if (!isNa(t)) guesses[c]!.add(t);
      }
    }
  }
  return Object.fromEntries(names.map((n, c) => [n, options.dtypes?.[n] ?? guesses[c]!.dtype]));
}

/** Streams a CSV file as Tables of `chunkRows` rows, all with the same dtypes. */
export async function* readCsvChunks(
  path: string,
  options: ReadCsvChunksOptions = {},
): AsyncGenerator<Table> {
  const askedRows = options.chunkRows ?? 65536;
  let chunkRows = askedRows;
  const inferRows = options.inferRows ?? 'all';
  const isNa = naTest(options);
  let dtypes =
    inferRows === 'all' ? await inferCsvDTypes(path, { ...options, onSkip: () => undefined }) : undefined;
  const hint =
    inferRows === 'all'
      ? ''
      : `; dtypes were inferred from the first ${inferRows} rows: inferRows 'all' (--infer-rows all) reads them all`;
  let header: CsvHeader | undefined;
  let idx: number[] = [];
  let names: string[] = [];
  let builder: ChunkBuilder | undefined;
  const pending: RecordBatch = { rows: [], lines: [] };
  /** Fixes dtypes from the buffered rows (when not given or inferred in a first pass). */
  const settle = (): ChunkBuilder => {
    if (!dtypes) {
      const cols = transpose(pending, idx);
      dtypes = Object.fromEntries(names.map((n, c) => [n, options.dtypes?.[n] ?? guess(cols[c]!, isNa)]));
    }
    return new ChunkBuilder(
      names,
      names.map((n) => dtypes![n]!),
      idx,
      { file: path, isNa, hint },
      chunkRows,
    );
  };
  let emitted = false;
  for await (const batch of csvRecords(path, { batchRows: 1024, ...options }, (h) => {
    header = h;
    idx = columnIndex(path, h.names, options.usecols);
    names = idx.map((i) => h.names[i]!);
    checkDtypeNames(path, names, options.dtypes);
    chunkRows = Math.max(1, Math.min(askedRows, Math.floor(CELLS_PER_CHUNK / Math.max(1, names.length))));
  })) {
    let { rows, lines } = batch;
    if (!builder) {
      pending.rows.push(...rows);
      pending.lines.push(...lines);
      if (dtypes === undefined && pending.rows.length < (inferRows as number)) continue;
      builder = settle();
      ({ rows, lines } = pending);
    }
    for (let r = 0; r < rows.length; r++) {
      builder.addRow(rows[r]!, lines[r]!);
      if (builder.length >= chunkRows) {
        yield builder.take();
        emitted = true;
      }
    }
    pending.rows = [];
    pending.lines = [];
    options.onProgress?.(header!.file.position(), header!.file.size);
  }
  builder ??= settle();
  for (let r = 0; r < pending.rows.length; r++) builder.addRow(pending.rows[r]!, pending.lines[r]!);
  if (builder.length > 0 || !emitted) yield builder.take();
}
