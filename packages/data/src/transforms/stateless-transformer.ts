/**
 * The base of a stateless transform: `fit` only records the columns to work on (those given in
 * `config.columns`, or every column of the dtypes the transform takes), `columnsIn` checks that
 * a table still has them, and the saved state is that list.
 *
 *   class Upper extends StatelessTransformer<{ columns?: string[] }> {
 *     readonly kind = 'Upper';
 *     constructor(readonly config: { columns?: string[] } = {}) { super(['text']); }
 *     transform(table: Table): Table { for (const name of this.columnsIn(table)) …; }
 *   }
 */
import type { Table } from '../table/table.js';
import { BaseTransformer, requireColumns, resolveColumns, type TransformState } from './transformer.js';

/** The dtypes a transform takes when no columns are given ('numeric', 'text', 'date'). */
type ColumnKinds = Parameters<typeof resolveColumns>[2];

/** All a stateless transform learns in fit: the columns to work on. */
export interface ColumnsState {
  columns: string[];
}

export abstract class StatelessTransformer<
  Config extends { columns?: string[] },
> extends BaseTransformer<ColumnsState> {
  abstract readonly config: Config;

  constructor(private readonly columnKinds: ColumnKinds) {
    super();
  }

  fit(table: Table): this {
    this.fitted = { columns: resolveColumns(table, this.config.columns, this.columnKinds) };
    return this;
  }

  /** The fitted columns, after checking that `table` has them all. */
  protected columnsIn(table: Table): string[] {
    const { columns } = this.state;
    requireColumns(this.kind, table, columns);
    return columns;
  }

  toJSON(): TransformState {
    return { kind: this.kind, version: 1, config: this.config, state: this.state };
  }
}
