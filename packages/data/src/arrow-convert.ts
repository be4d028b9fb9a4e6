/**
 * Conversion between dlpipe `Table`s and Apache Arrow record batches: float → Float64, int →
 * Int64, bool → Bool, string → Utf8, date → Timestamp(ms). Missing values become Arrow nulls and
 * come back as NaN / null.
 *
 *   const batch = tableToRecordBatch(t);  const back = recordBatchToTable(batch, 'x.feather');
 */
import * as arrow from 'apache-arrow';
import { DataFormatError } from './errors.js';
import { type Column, isMissing } from './table/column.js';
import { Table } from './table/table.js';

function nullBitmap(col: Column): { nullBitmap: Uint8Array | undefined; nullCount: number } {
  const n = col.data.length;
  const bits = new Uint8Array((n + 7) >> 3);
  let nulls = 0;
  for (let i = 0; i < n; i++) {
    if (isMissing(col, i)) nulls++;
    else bits[i >> 3]! |= 1 << (i & 7);
  }
  return { nullBitmap: nulls > 0 ? bits : undefined, nullCount: nulls };
}

/** The Arrow type a dlpipe dtype is written as. */
export function arrowTypeOf(col: Column): arrow.DataType {
  switch (col.dtype) {
    case 'float':
      return new arrow.Float64();
    case 'int':
      return new arrow.Int64();
    case 'bool':
      return new arrow.Bool();
    case 'date':
      return new arrow.TimestampMillisecond();
    case 'string':
      return new arrow.Utf8();
  }
}

function columnToData(col: Column): arrow.Data {
  const { nullBitmap: bitmap, nullCount } = nullBitmap(col);
  const length = col.data.length;
  const base = { length, nullCount, nullBitmap: bitmap };
  switch (col.dtype) {
    case 'float':
      return arrow.makeData({ ...base, type: new arrow.Float64(), data: col.data });
    case 'int': {
      const data = new BigInt64Array(length);
      for (let i = 0; i < length; i++) {
        const v = col.data[i]!;
        if (!Number.isNaN(v)) data[i] = BigInt(v);
      }
      return arrow.makeData({ ...base, type: new arrow.Int64(), data });
    }
    case 'date': {
      const data = new BigInt64Array(length);
      for (let i = 0; i < length; i++) {
        const v = col.data[i]!;
        if (!Number.isNaN(v)) data[i] = BigInt(Math.round(v));
      }
      return arrow.makeData({
        ...base,
        type: new arrow.TimestampMillisecond(),
        data: new Int32Array(data.buffer),
      });
    }
    case 'bool': {
      const data = new Uint8Array((length + 7) >> 3);
      for (let i = 0; i < length; i++) if (col.data[i] === true) data[i >> 3]! |= 1 << (i & 7);
      return arrow.makeData({ ...base, type: new arrow.Bool(), data });
    }
    case 'string':
      return arrow.vectorFromArray(col.data, new arrow.Utf8()).data[0]!;
  }
}

/** An Arrow schema for a table's columns. */
export function arrowSchemaOf(table: Table): arrow.Schema {
  return new arrow.Schema(table.columns.map((c) => new arrow.Field(c.name, arrowTypeOf(c), true)));
}

/** One record batch holding the whole table. */
export function tableToRecordBatch(table: Table, schema = arrowSchemaOf(table)): arrow.RecordBatch {
  const children = table.columns.map(columnToData);
  const data = arrow.makeData({
    type: new arrow.Struct(schema.fields),
    length: table.nRows,
    nullCount: 0,
    children,
  });
  return new arrow.RecordBatch(schema, data);
}

function vectorToColumn(name: string, vec: arrow.Vector, file: string): Column {
  const t = vec.type as arrow.DataType;
  const n = vec.length;
  const id = t.typeId;
  if (
    arrow.DataType.isFloat(t) ||
    arrow.DataType.isInt(t) ||
    arrow.DataType.isDate(t) ||
    arrow.DataType.isTimestamp(t)
  ) {
    const data = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const v = vec.get(i) as number | bigint | Date | null;
      data[i] = v === null ? Number.NaN : v instanceof Date ? v.getTime() : Number(v); // Arrow JS gives ms for every date/timestamp unit
    }
    const dtype = arrow.DataType.isFloat(t) ? 'float' : arrow.DataType.isInt(t) ? 'int' : 'date';
    return { name, dtype, data };
  }
  if (arrow.DataType.isBool(t))
    return { name, dtype: 'bool', data: Array.from(vec, (v) => (v ?? null) as boolean | null) };
  if (arrow.DataType.isUtf8(t) || arrow.DataType.isLargeUtf8(t) || arrow.DataType.isDictionary(t)) {
    return {
      name,
      dtype: 'string',
      data: Array.from(vec, (v) => (v === null || v === undefined ? null : String(v))),
    };
  }
  if (arrow.DataType.isNull(t))
    return { name, dtype: 'string', data: new Array<string | null>(n).fill(null) };
  throw new DataFormatError(
    file,
    `column '${name}' has Arrow type ${String(t)} (type id ${id}); dlpipe tables hold float, int, bool, utf8 and ` +
      'date/timestamp columns: cast it (e.g. pyarrow: pc.cast or to string) before saving',
  );
}

/** A dlpipe Table from an Arrow table or record batch. `file` is used in error messages. */
export function arrowToTable(source: arrow.Table | arrow.RecordBatch, file = '<arrow>'): Table {
  return new Table(
    source.schema.fields.map((f, j) => {
      const vec = source.getChildAt(j);
      if (!vec) throw new DataFormatError(file, `column '${f.name}' has no data`);
      return vectorToColumn(f.name, vec, file);
    }),
  );
}
