/**
 * Typed columns filled row by row from CSV text, so that numbers are parsed as records arrive and
 * their texts die young (bounded memory when streaming). A text that does not fit its column's
 * dtype is a `CsvError` naming file, line and column.
 *
 *   const b = new ChunkBuilder(names, dtypes, idx, { file, isNa }, 65536);
 *   b.addRow(fields, line);  if (b.length >= 65536) yield b.take();
 */
import { DlpipeError } from '@dlpipe/core';
import { CsvError } from '../errors.js';
import type { Column, DType } from '../table/column.js';
import { parseBool, parseDate, parseNumber } from '../table/parse-cell.js';
import { Table } from '../table/table.js';

export interface CellContext {
  file: string;
  isNa: (t: string) => boolean;
  /** Appended to type errors (e.g. how dtypes were inferred). */
  hint?: string;
}

type Store = Float64Array | Array<string | null> | Array<boolean | null>;

export class ChunkBuilder {
  length = 0;
  private stores: Store[] = [];
  private lines: number[] = [];

  constructor(
    private readonly names: string[],
    private readonly dtypes: DType[],
    /** Field index of each column in a record. */
    private readonly idx: number[],
    private readonly ctx: CellContext,
    private readonly capacity: number,
  ) {
    this.reset();
  }

  private reset(): void {
    this.stores = this.dtypes.map((d) =>
      d === 'string' || d === 'bool' ? [] : new Float64Array(this.capacity),
    );
    this.lines = [];
    this.length = 0;
  }

  private fail(t: string, c: number, line: number, what: string): never {
    const name = this.names[c]!;
    throw new CsvError(
      this.ctx.file,
      { line, column: name },
      `'${t}' is not ${what} (column dtype ${this.dtypes[c]}); fix the value, or read the column as another ` +
        `dtype (dtypes: { '${name}': 'string' }, --dtype '${name}=string')${this.ctx.hint ?? ''}`,
    );
  }

  addRow(fields: string[], line: number): void {
    const r = this.length;
    if (r >= this.capacity) {
      // the reader's bug, not bad input: exit 1
      throw new DlpipeError(
        'CHUNK_BUILDER_FULL',
        `ChunkBuilder is full (${this.capacity} rows); expected take() before adding row ${r + 1}`,
        { exitCode: 1 },
      );
    }
    for (let c = 0; c < this.idx.length; c++) {
      const t = fields[this.idx[c]!]!;
      const store = this.stores[c]!;
      const dtype = this.dtypes[c]!;
      const na = this.ctx.isNa(t);
      if (dtype === 'string') (store as Array<string | null>).push(na ? null : t);
      else if (dtype === 'bool')
        (store as Array<boolean | null>).push(
          na ? null : (parseBool(t) ?? this.fail(t, c, line, 'true or false')),
        );
      else if (na) (store as Float64Array)[r] = Number.NaN;
      else {
        const v = dtype === 'date' ? parseDate(t) : parseNumber(t);
        if (v === undefined) this.fail(t, c, line, dtype === 'date' ? 'an ISO 8601 date' : 'a number');
        if (dtype === 'int' && !Number.isInteger(v)) this.fail(t, c, line, 'an integer');
        (store as Float64Array)[r] = v!;
      }
    }
    this.lines.push(line);
    this.length++;
  }

  /** The rows so far as a Table (then starts empty). */
  take(): Table {
    const n = this.length;
    const columns = this.names.map((name, c): Column => {
      const store = this.stores[c]!;
      const dtype = this.dtypes[c]!;
      if (store instanceof Float64Array)
        return { name, dtype: dtype as 'float' | 'int' | 'date', data: store.slice(0, n) };
      return { name, dtype, data: store } as Column;
    });
    const table = new Table(columns, { file: this.ctx.file, lines: this.lines });
    this.reset();
    return table;
  }
}
