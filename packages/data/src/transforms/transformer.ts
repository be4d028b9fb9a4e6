/**
 * The transform contract, as scikit-learn's: `fit` learns from a table, `transform` applies,
 * `inverseTransform` undoes (where it can), `toJSON` gives a state that `loadTransform` restores.
 *
 *   const s = new StandardScaler({ columns: ['x'] }).fit(train);
 *   const z = s.transform(test);  s.inverseTransform(z);  await saveTransform('scaler.json', s);
 */
import { TransformError } from '../errors.js';
import type { Table } from '../table/table.js';

/** What a transform saves: its kind (a registry key), its options and what fit learned. */
export interface TransformState {
  kind: string;
  version: 1;
  config: unknown;
  state: unknown;
}

export interface Transformer {
  /** The registry key, e.g. 'StandardScaler'. */
  readonly kind: string;
  fit(table: Table): this;
  transform(table: Table): Table;
  fitTransform(table: Table): Table;
  /** Undoes `transform` (missing where the transform loses information). */
  inverseTransform?(table: Table): Table;
  toJSON(): TransformState;
}

/** Shared plumbing: fitTransform, the not-fitted check, column resolution. */
export abstract class BaseTransformer<State> implements Transformer {
  abstract readonly kind: string;
  protected fitted: State | undefined;

  abstract fit(table: Table): this;
  abstract transform(table: Table): Table;

  fitTransform(table: Table): Table {
    return this.fit(table).transform(table);
  }

  /** The fitted state, or an error saying to call fit first. */
  protected get state(): State {
    if (this.fitted === undefined) {
      throw new TransformError(
        `${this.kind} is not fitted: call fit(table) (or load a saved one) before transform`,
      );
    }
    return this.fitted;
  }

  /** Restores a fitted state (used by loadTransform). */
  setState(state: State): this {
    this.fitted = state;
    return this;
  }

  abstract toJSON(): TransformState;
}

/** The columns to work on: those given, or every column of the allowed dtypes. */
export function resolveColumns(
  table: Table,
  columns: string[] | undefined,
  kinds: Array<'numeric' | 'text' | 'date'>,
): string[] {
  if (columns) {
    for (const c of columns) table.column(c);
    return columns;
  }
  return table.columns
    .filter((c) =>
      kinds.some((k) =>
        k === 'numeric'
          ? c.dtype === 'float' || c.dtype === 'int'
          : k === 'date'
            ? c.dtype === 'date'
            : c.dtype === 'string',
      ),
    )
    .map((c) => c.name);
}

/** Checks that a table has the columns a transform was fitted on. */
export function requireColumns(kind: string, table: Table, columns: string[]): void {
  const missing = columns.filter((c) => !table.has(c));
  if (missing.length) {
    throw new TransformError(
      `${kind} was fitted on columns [${columns.join(', ')}] but the table lacks [${missing.join(', ')}] ` +
        `(it has [${table.columnNames.join(', ')}])`,
    );
  }
}
