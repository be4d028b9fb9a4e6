/**
 * From a table to what classifiers take: numeric feature columns as a matrix (bools as 0/1),
 * or one text column as documents; class labels encoded with unlabeled rows as -1. Errors name
 * the file, line and column.
 *
 *   const { X } = featureMatrix(table, ['x1', 'x2']);   const { y, encoder } = encodeLabels(table, 'label');
 */
import { ColumnError, LabelEncoder, type Table } from '@dlpipe/data';
import type { Matrix } from '../classifiers/classifier.js';
import { LabelError } from '../errors.js';

/** Feature columns to use: those given, else every column but the label and id. */
export function pickFeatures(table: Table, labelCol: string, idCol?: string, given?: string[]): string[] {
  if (given?.length) {
    for (const c of given) table.column(c);
    return given;
  }
  const cols = table.columnNames.filter((c) => c !== labelCol && c !== idCol);
  if (cols.length === 0) throw new LabelError(`the table has no feature columns besides '${labelCol}'`);
  return cols;
}

/** Numeric/bool columns as a float32 row-major matrix; text or missing values are ColumnErrors. */
export function featureMatrix(table: Table, cols: string[]): Matrix {
  const n = table.nRows;
  const d = cols.length;
  const data = new Float32Array(n * d);
  cols.forEach((name, j) => {
    const col = table.column(name);
    const values =
      col.dtype === 'bool' ? col.data.map((v) => (v === null ? Number.NaN : v ? 1 : 0)) : table.numeric(name);
    for (let i = 0; i < n; i++) {
      const v = values[i]!;
      if (Number.isNaN(v)) {
        throw new ColumnError(
          name,
          `${table.where(i)}: the value is missing; features must be complete: impute them (SimpleImputer) or drop the row`,
        );
      }
      data[i * d + j] = v;
    }
  });
  return { data, shape: [n, d] };
}

/** Label codes (-1 unlabeled: missing, or -1 in a number column) and the encoder that maps them back. */
export function encodeLabels(table: Table, labelCol: string): { y: Int32Array; encoder: LabelEncoder } {
  const col = table.column(labelCol);
  const numeric = col.dtype === 'int' || col.dtype === 'float';
  const raw: Array<string | number | null> = numeric
    ? Array.from(table.numeric(labelCol), (v) => (Number.isNaN(v) || v === -1 ? null : v))
    : table.strings(labelCol);
  const encoder = new LabelEncoder().fit(raw);
  return { y: encoder.transform(raw), encoder };
}

/** Codes of a fully labeled column (a holdout) in an existing encoding. */
export function encodeKnownLabels(table: Table, labelCol: string, encoder: LabelEncoder): Int32Array {
  const raw: Array<string | number | null> =
    table.column(labelCol).dtype === 'string' ? table.strings(labelCol) : Array.from(table.numeric(labelCol));
  const known = new Map(encoder.classes.map((c, i) => [String(c), i]));
  return Int32Array.from(
    raw.map((v, i) => {
      const k = v === null || (typeof v === 'number' && Number.isNaN(v)) ? undefined : known.get(String(v));
      if (k === undefined) {
        throw new ColumnError(
          labelCol,
          `${table.where(i)}: holdout label '${v}' is ${v === null ? 'missing' : 'not among the training classes'} (${encoder.classes.join(', ')})`,
        );
      }
      return k;
    }),
  );
}
