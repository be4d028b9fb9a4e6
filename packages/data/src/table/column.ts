/**
 * Typed columns of a `Table`. Numbers (float, int), dates (ms since the epoch, UTC) are stored in a
 * Float64Array with NaN for a missing value (pandas' NaN/NaT); bools and strings in arrays with
 * `null` for a missing value.
 *
 *   const c = makeColumn('age', [31, null, 47]);        // { dtype: 'int', data: Float64Array [31, NaN, 47] }
 *   const d = makeColumn('when', ['2024-01-02'], 'date');
 */
import { InvalidArgumentError } from '@dlpipe/core';
import { ColumnError } from '../errors.js';
import { parseDate, parseNumber } from './parse-cell.js';

export type DType = 'float' | 'int' | 'bool' | 'string' | 'date';
export const DTYPES: readonly DType[] = ['float', 'int', 'bool', 'string', 'date'];

export interface NumericColumn {
  name: string;
  dtype: 'float' | 'int' | 'date';
  /** NaN marks a missing value; dates are milliseconds since 1970-01-01T00:00Z. */
  data: Float64Array;
}
export interface BoolColumn {
  name: string;
  dtype: 'bool';
  data: Array<boolean | null>;
}
export interface StringColumn {
  name: string;
  dtype: 'string';
  data: Array<string | null>;
}
export type Column = NumericColumn | BoolColumn | StringColumn;

/** A cell as JS sees it: a number, string, boolean, Date, or null for missing. */
export type Cell = number | string | boolean | Date | null;

/** What callers may hand in as a column's values. */
export type ColumnInput = ArrayLike<Cell | undefined> | Float64Array | Float32Array | Int32Array;

/** True when the column's value at `i` is missing. */
export function isMissing(col: Column, i: number): boolean {
  const v = col.data[i];
  return v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v));
}

/** The value at row i as a JS cell (dates as Date). */
export function cellAt(col: Column, i: number): Cell {
  if (isMissing(col, i)) return null;
  const v = col.data[i]!;
  return col.dtype === 'date' ? new Date(v as number) : v;
}

/** Number of missing values. */
export function countMissing(col: Column): number {
  let n = 0;
  for (let i = 0; i < col.data.length; i++) if (isMissing(col, i)) n++;
  return n;
}

/** The dtype JS values suggest: all numbers → int/float, booleans → bool, Dates → date, else string. */
export function inferDType(values: ColumnInput): DType {
  if (values instanceof Float64Array || values instanceof Float32Array) {
    return Array.prototype.every.call(values, (v: number) => Number.isNaN(v) || Number.isInteger(v))
      ? 'int'
      : 'float';
  }
  if (values instanceof Int32Array) return 'int';
  let kind: DType | undefined;
  let integral = true;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) continue;
    const k: DType =
      typeof v === 'number'
        ? 'float'
        : typeof v === 'boolean'
          ? 'bool'
          : v instanceof Date
            ? 'date'
            : 'string';
    if (k === 'float' && !Number.isNaN(v) && !Number.isInteger(v)) integral = false;
    if (kind === undefined) kind = k;
    else if (kind !== k) return 'string';
  }
  if (kind === undefined) return 'string';
  return kind === 'float' && integral ? 'int' : kind;
}

function toNumber(name: string, v: Cell | undefined, i: number, dtype: DType): number {
  if (v === null || v === undefined) return Number.NaN;
  if (typeof v === 'number') {
    if (dtype === 'int' && !Number.isNaN(v) && !Number.isInteger(v)) {
      throw new ColumnError(name, `row ${i}: ${v} is not an integer (dtype int); use dtype 'float'`);
    }
    return v;
  }
  if (v instanceof Date) return v.getTime();
  if (typeof v === 'boolean') return v ? 1 : 0;
  const n = dtype === 'date' ? parseDate(v) : parseNumber(v);
  if (n === undefined) {
    const what = dtype === 'date' ? 'an ISO 8601 date (YYYY-MM-DD[THH:MM:SS])' : 'a number';
    throw new ColumnError(name, `row ${i}: '${v}' is not ${what} (dtype ${dtype})`);
  }
  if (dtype === 'int' && !Number.isInteger(n)) {
    throw new ColumnError(name, `row ${i}: ${n} is not an integer (dtype int); use dtype 'float'`);
  }
  return n;
}

/** Builds a typed column from JS values, inferring the dtype unless one is given. */
export function makeColumn(name: string, values: ColumnInput, dtype: DType = inferDType(values)): Column {
  const n = values.length;
  if (dtype === 'string') {
    const data = new Array<string | null>(n);
    for (let i = 0; i < n; i++) {
      const v = values[i];
      data[i] = v === null || v === undefined ? null : v instanceof Date ? v.toISOString() : String(v);
    }
    return { name, dtype, data };
  }
  if (dtype === 'bool') {
    const data = new Array<boolean | null>(n);
    for (let i = 0; i < n; i++) data[i] = toBool(name, values[i], i);
    return { name, dtype, data };
  }
  if (values instanceof Float64Array && dtype === 'float') return { name, dtype, data: values };
  const data = new Float64Array(n);
  for (let i = 0; i < n; i++) data[i] = toNumber(name, values[i], i, dtype);
  return { name, dtype, data };
}

function toBool(name: string, v: Cell | undefined, i: number): boolean | null {
  if (v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v))) return null;
  if (typeof v === 'boolean') return v;
  if (v === 1 || v === 0) return v === 1;
  if (typeof v === 'string') {
    const t = v.trim().toLowerCase();
    if (t === 'true') return true;
    if (t === 'false') return false;
    if (t === '') return null;
  }
  throw new ColumnError(name, `row ${i}: '${String(v)}' is not a boolean (true/false)`);
}

/** An empty column of a dtype with n missing values. */
export function emptyColumn(name: string, dtype: DType, n: number): Column {
  if (dtype === 'string') return { name, dtype, data: new Array<string | null>(n).fill(null) };
  if (dtype === 'bool') return { name, dtype, data: new Array<boolean | null>(n).fill(null) };
  return { name, dtype, data: new Float64Array(n).fill(Number.NaN) };
}

/** The rows `idx` of a column, in that order. */
export function takeColumn(col: Column, idx: ArrayLike<number>): Column {
  const n = idx.length;
  if (col.dtype === 'string' || col.dtype === 'bool') {
    const data = new Array(n);
    for (let i = 0; i < n; i++) data[i] = col.data[idx[i]!] ?? null;
    return { ...col, data } as Column;
  }
  const data = new Float64Array(n);
  for (let i = 0; i < n; i++) data[i] = col.data[idx[i]!]!;
  return { ...col, data };
}

/** Rows [start, end) of a column (a view for numeric columns). */
export function sliceColumn(col: Column, start: number, end: number): Column {
  if (col.dtype === 'string') return { ...col, data: col.data.slice(start, end) };
  if (col.dtype === 'bool') return { ...col, data: col.data.slice(start, end) };
  return { ...col, data: col.data.subarray(start, end) };
}

/** Columns of the same name and dtype, one after another. */
export function concatColumns(cols: Column[]): Column {
  const first = cols[0];
  if (!first) throw new InvalidArgumentError('concatColumns received no columns; expected at least one');
  for (const c of cols) {
    if (c.dtype !== first.dtype) {
      throw new ColumnError(first.name, `cannot concatenate dtype ${first.dtype} with ${c.dtype}`);
    }
  }
  if (first.dtype === 'string' || first.dtype === 'bool') {
    return { ...first, data: cols.flatMap((c) => c.data as Array<string | boolean | null>) } as Column;
  }
  const total = cols.reduce((a, c) => a + c.data.length, 0);
  const data = new Float64Array(total);
  let at = 0;
  for (const c of cols) {
    data.set(c.data as Float64Array, at);
    at += c.data.length;
  }
  return { ...first, data };
}
