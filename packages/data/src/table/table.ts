/**
 * A small columnar table (pandas' DataFrame, minus the index): named, typed columns of equal
 * length. Tables are immutable; methods return new tables sharing unchanged columns.
 *
 *   const t = Table.fromColumns({ x: [1, 2, 3], label: ['a', 'b', null] });
 *   t.nRows; t.dtypes; t.column('x'); t.select(['x']).take([2, 0]).toRows();
 */
import { InvalidArgumentError } from '@dlpipe/core';
import { ColumnError } from '../errors.js';
import {
  type Cell,
  type Column,
  type ColumnInput,
  cellAt,
  concatColumns,
  type DType,
  makeColumn,
  sliceColumn,
  takeColumn,
} from './column.js';
import { parseNumber } from './parse-cell.js';

export interface TableFromOptions {
  /** Per-column dtype overrides; the rest are inferred. */
  dtypes?: Record<string, DType>;
}

/** Where a table's rows came from, for error messages: the file and each row's line. */
export interface TableSource {
  file: string;
  /** 1-based line of each row in the (decompressed) file, when known. */
  lines?: ArrayLike<number>;
}

export class Table {
  readonly columns: readonly Column[];
  readonly nRows: number;
  readonly source: TableSource | undefined;
  private readonly byName: Map<string, Column>;

  constructor(columns: Column[], source?: TableSource) {
    this.columns = columns;
    this.source = source;
    this.nRows = columns[0]?.data.length ?? 0;
    this.byName = new Map();
    for (const c of columns) {
      if (this.byName.has(c.name))
        throw new ColumnError(c.name, 'appears twice; column names must be unique');
      if (c.data.length !== this.nRows) {
        throw new ColumnError(
          c.name,
          `has ${c.data.length} rows but '${columns[0]?.name}' has ${this.nRows}`,
        );
      }
      this.byName.set(c.name, c);
    }
  }

  /** From a record of column arrays (dtypes inferred unless overridden). */
  static fromColumns(record: Record<string, ColumnInput>, options: TableFromOptions = {}): Table {
    return new Table(Object.entries(record).map(([name, v]) => makeColumn(name, v, options.dtypes?.[name])));
  }

  /** From row objects; columns in order of first appearance, absent keys missing. */
  static fromRows(rows: ReadonlyArray<Record<string, unknown>>, options: TableFromOptions = {}): Table {
    const names: string[] = [];
    const seen = new Set<string>();
    for (const r of rows) {
      for (const k of Object.keys(r)) {
        if (!seen.has(k)) {
          seen.add(k);
          names.push(k);
        }
      }
    }
    const record: Record<string, Cell[]> = {};
    for (const n of names) record[n] = rows.map((r) => toCell(r[n]));
    return Table.fromColumns(record, options);
  }

  /** Tables with the same columns, one after another. */
  static concat(tables: Table[]): Table {
    const first = tables[0];
    if (!first) return new Table([]);
    const names = first.columnNames;
    for (const t of tables) {
      if (t.columnNames.join('\u0000') !== names.join('\u0000')) {
        throw new ColumnError(
          t.columnNames.find((n) => !names.includes(n)) ?? names.find((n) => !t.has(n)) ?? names[0] ?? '',
          `cannot concatenate tables with columns [${names}] and [${t.columnNames}]`,
        );
      }
    }
    const lines = tables.every((t) => t.source?.lines)
      ? tables.flatMap((t) => Array.from(t.source!.lines!))
      : undefined;
    const source = first.source && { file: first.source.file, lines };
    return new Table(
      names.map((n) => concatColumns(tables.map((t) => t.column(n)))),
      source,
    );
  }

  get columnNames(): string[] {
    return this.columns.map((c) => c.name);
  }

  get dtypes(): Record<string, DType> {
    return Object.fromEntries(this.columns.map((c) => [c.name, c.dtype]));
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  /** The column `name`; an error listing the columns there are when it is absent. */
  column(name: string): Column {
    const c = this.byName.get(name);
    if (!c) throw new ColumnError(name, `not found; the table has columns [${this.columnNames.join(', ')}]`);
    return c;
  }

  /** "file, line 7" for row i when the table came from a file, else "row 7". */
  where(i: number): string {
    const line = this.source?.lines?.[i];
    if (!this.source) return `row ${i}`;
    return line === undefined ? `${this.source.file}, row ${i}` : `${this.source.file}, line ${line}`;
  }

  /** A numeric (float/int/date) column's values; NaN marks missing. */
  numeric(name: string): Float64Array {
    const c = this.column(name);
    if (c.dtype === 'string' || c.dtype === 'bool') {
      const i = c.data.findIndex(
        (v) => v !== null && (typeof v !== 'string' || parseNumber(v) === undefined),
      );
      const at = i >= 0 ? ` (${this.where(i)} holds '${c.data[i]}')` : '';
      throw new ColumnError(
        name,
        `is ${c.dtype}, but numbers are needed here${at}: fix the values, drop the column, or encode it ` +
          '(OrdinalEncoder / OneHotEncoder)',
      );
    }
    return c.data;
  }

  /** A column's values as strings (null for missing). */
  strings(name: string): Array<string | null> {
    const c = this.column(name);
    if (c.dtype === 'string') return c.data;
    return Array.from({ length: this.nRows }, (_, i) => {
      const v = cellAt(c, i);
      return v === null ? null : v instanceof Date ? v.toISOString() : String(v);
    });
  }

  /** Row i as an object (dates as Date, missing as null). */
  row(i: number): Record<string, Cell> {
    if (!(i >= 0 && i < this.nRows))
      throw new InvalidArgumentError(
        `row ${i} is outside 0..${this.nRows - 1} (the table has ${this.nRows} rows)`,
      );
    return Object.fromEntries(this.columns.map((c) => [c.name, cellAt(c, i)]));
  }

  toRows(): Array<Record<string, Cell>> {
    return Array.from({ length: this.nRows }, (_, i) => this.row(i));
  }

  /** A record of plain arrays (dates as Date, missing as null). */
  toColumns(): Record<string, Cell[]> {
    return Object.fromEntries(
      this.columns.map((c) => [c.name, Array.from({ length: this.nRows }, (_, i) => cellAt(c, i))]),
    );
  }

  select(names: string[]): Table {
    return new Table(
      names.map((n) => this.column(n)),
      this.source,
    );
  }

  drop(names: string[]): Table {
    for (const n of names) this.column(n);
    return new Table(
      this.columns.filter((c) => !names.includes(c.name)),
      this.source,
    );
  }

  /** Adds or replaces a column (kept in place when replacing). */
  withColumn(col: Column): Table {
    if (!this.has(col.name)) return new Table([...this.columns, col], this.source);
    return new Table(
      this.columns.map((c) => (c.name === col.name ? col : c)),
      this.source,
    );
  }

  /** Adds or replaces several columns. */
  withColumns(cols: Column[]): Table {
    const added = new Map(cols.map((c) => [c.name, c]));
    const kept = this.columns.map((c) => added.get(c.name) ?? c);
    const fresh = cols.filter((c) => !this.has(c.name));
    return new Table([...kept, ...fresh], this.source);
  }

  rename(mapping: Record<string, string>): Table {
    for (const n of Object.keys(mapping)) this.column(n);
    return new Table(
      this.columns.map((c) => ({ ...c, name: mapping[c.name] ?? c.name }) as Column),
      this.source,
    );
  }

  slice(start = 0, end = this.nRows): Table {
    const lines = this.source?.lines;
    return new Table(
      this.columns.map((c) => sliceColumn(c, start, end)),
      this.source && {
        file: this.source.file,
        lines: lines && Array.prototype.slice.call(lines, start, end),
      },
    );
  }

  head(n = 5): Table {
    return this.slice(0, Math.min(n, this.nRows));
  }

  /** Rows by index, in that order (repeats allowed). */
  take(idx: ArrayLike<number>): Table {
    for (let i = 0; i < idx.length; i++) {
      const r = idx[i]!;
      if (!(Number.isInteger(r) && r >= 0 && r < this.nRows)) {
        throw new InvalidArgumentError(
          `take: row index ${r} is outside 0..${this.nRows - 1} (the table has ${this.nRows} rows)`,
        );
      }
    }
    const lines = this.source?.lines;
    return new Table(
      this.columns.map((c) => takeColumn(c, idx)),
      this.source && { file: this.source.file, lines: lines && Array.from(idx, (r) => lines[r]!) },
    );
  }

  /** Rows where `pred(row, i)` is true. */
  filter(pred: (row: Record<string, Cell>, i: number) => boolean): Table {
    const keep: number[] = [];
    for (let i = 0; i < this.nRows; i++) if (pred(this.row(i), i)) keep.push(i);
    return this.take(keep);
  }

  /**
   * Numeric columns as a row-major Float32Array matrix (for tensors). Missing values and
   * non-numeric columns are errors that name the column.
   */
  toMatrix(names: string[] = this.columnNames): { data: Float32Array; shape: [number, number] } {
    const cols = names.map((n) => this.numeric(n));
    const data = new Float32Array(this.nRows * cols.length);
    cols.forEach((c, j) => {
      for (let i = 0; i < this.nRows; i++) {
        const v = c[i]!;
        if (Number.isNaN(v)) {
          throw new ColumnError(
            names[j]!,
            `${this.where(i)} is missing; impute it first (SimpleImputer) or drop the row`,
          );
        }
        data[i * cols.length + j] = v;
      }
    });
    return { data, shape: [this.nRows, cols.length] };
  }
}

function toCell(v: unknown): Cell {
  if (v === undefined || v === null) return null;
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean' || v instanceof Date) return v;
  if (typeof v === 'bigint') return Number(v);
  return JSON.stringify(v);
}
