/**
 * Date/time parts as features, as pandas' `.dt` accessors (UTC): year, month (1–12), day,
 * dayofweek (Monday = 0), dayofyear, quarter, hour, minute, second, is_weekend. A missing date
 * gives missing parts. Text columns holding ISO dates are parsed.
 *
 *   new DateParts({ columns: ['when'], parts: ['year', 'dayofweek'] }).fitTransform(t)
 *   // → when_year, when_dayofweek (the 'when' column dropped unless keep: true)
 */
import { OptionsError } from '@dlpipe/core';
import { TransformError } from '../errors.js';
import type { Column } from '../table/column.js';
import { parseDate } from '../table/parse-cell.js';
import type { Table } from '../table/table.js';
import {
  BaseTransformer,
  requireColumns,
  resolveColumns,
  type TransformState,
} from '../transforms/transformer.js';

export const DATE_PARTS = {
  year: (d: Date) => d.getUTCFullYear(),
  month: (d: Date) => d.getUTCMonth() + 1,
  day: (d: Date) => d.getUTCDate(),
  dayofweek: (d: Date) => (d.getUTCDay() + 6) % 7,
  dayofyear: (d: Date) => Math.floor((d.getTime() - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86_400_000) + 1,
  quarter: (d: Date) => Math.floor(d.getUTCMonth() / 3) + 1,
  hour: (d: Date) => d.getUTCHours(),
  minute: (d: Date) => d.getUTCMinutes(),
  second: (d: Date) => d.getUTCSeconds(),
  is_weekend: (d: Date) => (d.getUTCDay() === 0 || d.getUTCDay() === 6 ? 1 : 0),
} as const;

export type DatePart = keyof typeof DATE_PARTS;

export interface DatePartsOptions {
  /** Default: every date column. */
  columns?: string[];
  /** Default ['year', 'month', 'day', 'dayofweek', 'hour']. */
  parts?: DatePart[];
  /** Keep the date column itself. Default false. */
  keep?: boolean;
}

function millis(table: Table, name: string): Float64Array {
  const col = table.column(name);
  if (col.dtype === 'date') return col.data;
  if (col.dtype !== 'string') {
    throw new TransformError(
      `DateParts: column '${name}' is ${col.dtype}; it needs dates (or ISO 8601 text)`,
    );
  }
  return Float64Array.from(col.data, (t, i) => {
    const v = t === null ? Number.NaN : parseDate(t);
    if (v === undefined) {
      throw new TransformError(
        `DateParts: column '${name}', ${table.where(i)}: '${t}' is not an ISO 8601 date`,
      );
    }
    return v;
  });
}

export class DateParts extends BaseTransformer<{ columns: string[] }> {
  readonly kind = 'DateParts';
  constructor(readonly config: DatePartsOptions = {}) {
    super();
    for (const p of config.parts ?? []) {
      if (!(p in DATE_PARTS))
        throw new OptionsError(`unknown date part '${p}'; known: ${Object.keys(DATE_PARTS).join(', ')}`);
    }
  }

  fit(table: Table): this {
    this.fitted = { columns: resolveColumns(table, this.config.columns, ['date']) };
    return this;
  }

  transform(table: Table): Table {
    const { columns } = this.state;
    requireColumns(this.kind, table, columns);
    const parts = this.config.parts ?? ['year', 'month', 'day', 'dayofweek', 'hour'];
    const added: Column[] = [];
    for (const name of columns) {
      const ms = millis(table, name);
      for (const p of parts) {
        const f = DATE_PARTS[p];
        const data = Float64Array.from(ms, (v) => (Number.isNaN(v) ? Number.NaN : f(new Date(v))));
        added.push({ name: `${name}_${p}`, dtype: 'int', data });
      }
    }
    const base = this.config.keep ? table : table.drop(columns);
    return base.withColumns(added);
  }

  toJSON(): TransformState {
    return { kind: this.kind, version: 1, config: this.config, state: this.state };
  }
}
