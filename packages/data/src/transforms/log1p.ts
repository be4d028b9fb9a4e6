/**
 * log(1 + x) per column (for skewed, non-negative features such as counts and prices), inverse
 * expm1. Values below −1 have no logarithm: an error names the column and row.
 *
 *   const t = new Log1pTransformer({ columns: ['price'] }).fitTransform(table);
 */
import { TransformError } from '../errors.js';
import type { Table } from '../table/table.js';
import { BaseTransformer, requireColumns, resolveColumns, type TransformState } from './transformer.js';

export interface Log1pOptions {
  /** Default: every numeric column at fit. */
  columns?: string[];
}

export class Log1pTransformer extends BaseTransformer<{ columns: string[] }> {
  readonly kind = 'Log1pTransformer';
  constructor(readonly config: Log1pOptions = {}) {
    super();
  }

  fit(table: Table): this {
    this.fitted = { columns: resolveColumns(table, this.config.columns, ['numeric']) };
    return this;
  }

  private map(table: Table, f: (v: number) => number, check: boolean): Table {
    const { columns } = this.state;
    requireColumns(this.kind, table, columns);
    let out = table;
    for (const name of columns) {
      const x = table.numeric(name);
      const y = new Float64Array(x.length);
      for (let i = 0; i < x.length; i++) {
        if (check && x[i]! < -1) {
          throw new TransformError(
            `Log1pTransformer: column '${name}', ${table.where(i)} is ${x[i]}; log1p needs values >= -1 ` +
              '(shift the column or use StandardScaler)',
          );
        }
        y[i] = f(x[i]!);
      }
      out = out.withColumn({ name, dtype: 'float', data: y });
    }
    return out;
  }

  transform(table: Table): Table {
    return this.map(table, Math.log1p, true);
  }

  inverseTransform(table: Table): Table {
    return this.map(table, Math.expm1, false);
  }

  toJSON(): TransformState {
    return { kind: this.kind, version: 1, config: this.config, state: this.state };
  }
}
