/**
 * Missing-value imputation, as scikit-learn's `SimpleImputer`: mean or median (numbers),
 * most_frequent (any dtype; ties → the smallest value) or a constant. Imputation loses which
 * cells were missing, so there is no inverse.
 *
 *   const imp = new SimpleImputer({ strategy: 'median' }).fit(train);  imp.transform(test);
 */
import { TransformError } from '../errors.js';
import { type Cell, type Column, cellAt, isMissing, makeColumn } from '../table/column.js';
import type { Table } from '../table/table.js';
import { BaseTransformer, requireColumns, resolveColumns, type TransformState } from './transformer.js';

export type ImputeStrategy = 'mean' | 'median' | 'most_frequent' | 'constant';

export interface SimpleImputerOptions {
  /** Default 'mean'. */
  strategy?: ImputeStrategy;
  /** For 'constant'. Default 0 for numbers, 'missing_value' for text (scikit-learn's). */
  fillValue?: number | string | boolean;
  /** Default: every numeric column (every column for most_frequent/constant). */
  columns?: string[];
}

interface ImputerState {
  columns: string[];
  fill: Array<number | string | boolean | null>;
}

function present(col: Column): Cell[] {
  const out: Cell[] = [];
  for (let i = 0; i < col.data.length; i++) if (!isMissing(col, i)) out.push(cellAt(col, i));
  return out;
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length === 0 ? Number.NaN : s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function mostFrequent(values: Cell[]): Cell {
  const counts = new Map<string, { v: Cell; n: number }>();
  for (const v of values) {
    const k = v instanceof Date ? `d${v.getTime()}` : `${typeof v}:${String(v)}`;
    const e = counts.get(k);
    if (e) e.n++;
    else counts.set(k, { v, n: 1 });
  }
  let best: { v: Cell; n: number } | undefined;
  for (const e of counts.values()) {
    if (!best || e.n > best.n || (e.n === best.n && String(e.v) < String(best.v))) best = e;
  }
  return best?.v ?? null;
}

export class SimpleImputer extends BaseTransformer<ImputerState> {
  readonly kind = 'SimpleImputer';
  constructor(readonly config: SimpleImputerOptions = {}) {
    super();
  }

  private fillFor(table: Table, name: string): number | string | boolean | null {
    const col = table.column(name);
    const strategy = this.config.strategy ?? 'mean';
    const numeric = col.dtype === 'float' || col.dtype === 'int' || col.dtype === 'date';
    if (strategy === 'constant') return this.config.fillValue ?? (numeric ? 0 : 'missing_value');
    if (strategy === 'most_frequent') {
      const v = mostFrequent(present(col));
      return v instanceof Date ? v.getTime() : v;
    }
    if (!numeric) {
      throw new TransformError(
        `SimpleImputer strategy '${strategy}' needs numbers but column '${name}' is ${col.dtype}: ` +
          "use strategy 'most_frequent' or 'constant' for it",
      );
    }
    const v = present(col) as number[];
    return strategy === 'mean' ? v.reduce((a, b) => a + b, 0) / v.length : median(v);
  }

  fit(table: Table): this {
    const strategy = this.config.strategy ?? 'mean';
    const any = strategy === 'most_frequent' || strategy === 'constant';
    const columns =
      this.config.columns ??
      resolveColumns(table, undefined, any ? ['numeric', 'text', 'date'] : ['numeric']);
    this.fitted = { columns, fill: columns.map((c) => this.fillFor(table, c)) };
    return this;
  }

  transform(table: Table): Table {
    const { columns, fill } = this.state;
    requireColumns(this.kind, table, columns);
    let out = table;
    columns.forEach((name, j) => {
      const col = table.column(name);
      const f = fill[j] ?? null;
      const values = Array.from({ length: col.data.length }, (_, i) =>
        isMissing(col, i) ? f : col.data[i]!,
      );
      const dtype =
        col.dtype === 'int' && typeof f === 'number' && !Number.isInteger(f) ? 'float' : col.dtype;
      out = out.withColumn(makeColumn(name, values, dtype));
    });
    return out;
  }

  toJSON(): TransformState {
    return { kind: this.kind, version: 1, config: this.config, state: this.state };
  }
}
