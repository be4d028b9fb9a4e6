/**
 * Categorical encoders with unknown-category handling, as scikit-learn's: `OneHotEncoder`
 * (columns `name_value`, drop 'first' / 'if_binary'), `OrdinalEncoder` (sorted categories → 0..k−1)
 * and `LabelEncoder` (targets → 0..k−1). All invert and save/load.
 *
 *   const oh = new OneHotEncoder({ columns: ['color'], handleUnknown: 'ignore' }).fit(train);
 *   oh.transform(test);  // color_blue, color_red ∈ {0, 1}; an unseen color → all zeros
 */
import { TransformError } from '../errors.js';
import { type Column, type DType, makeColumn } from '../table/column.js';
import { Table } from '../table/table.js';
import {
  BaseTransformer,
  requireColumns,
  resolveColumns,
  type TransformState,
} from '../transforms/transformer.js';
import { type Category, categoriesOf, categoryKeys, indexOf } from './categories.js';

interface EncoderState {
  columns: string[];
  categories: Category[][];
  dtypes: DType[];
}

function unknownError(
  kind: string,
  table: Table,
  name: string,
  i: number,
  v: Category,
  cats: Category[],
): TransformError {
  const shown = cats.slice(0, 10).map((c) => (c === null ? 'missing' : `'${c}'`));
  return new TransformError(
    `${kind}: column '${name}', ${table.where(i)}: category ${v === null ? 'missing' : `'${v}'`} was not seen in fit ` +
      `(known: ${shown.join(', ')}${cats.length > 10 ? ', …' : ''}); pass handleUnknown: ` +
      `'${kind === 'OneHotEncoder' ? 'ignore' : 'use_encoded_value'}' to encode unknown values`,
  );
}

function fitCategories(table: Table, columns: string[] | undefined): EncoderState {
  const cols = resolveColumns(table, columns, ['text']);
  return {
    columns: cols,
    categories: cols.map((c) => categoriesOf(table, c)),
    dtypes: cols.map((c) => table.column(c).dtype),
  };
}

/** Threads `table` through `step` once per fitted column (its name, categories and index). */
function foldColumns(
  { columns, categories }: EncoderState,
  table: Table,
  step: (out: Table, name: string, cats: Category[], j: number) => Table,
): Table {
  return columns.reduce((out, name, j) => step(out, name, categories[j]!, j), table);
}

/** Replaces column `name` by `added` at its position. */
function replaceColumn(table: Table, name: string, added: Column[]): Table {
  const cols = table.columns.flatMap((c) => (c.name === name ? added : [c]));
  return new Table(cols, table.source);
}

export interface OneHotEncoderOptions {
  /** Default: every string column. */
  columns?: string[];
  /** 'error' (default) or 'ignore' (an unseen category encodes as all zeros). */
  handleUnknown?: 'error' | 'ignore';
  /** Drop the first category of every column, or only of two-category columns. Default none. */
  drop?: 'first' | 'if_binary';
}

export class OneHotEncoder extends BaseTransformer<EncoderState> {
  readonly kind = 'OneHotEncoder';
  constructor(readonly config: OneHotEncoderOptions = {}) {
    super();
  }

  fit(table: Table): this {
    this.fitted = fitCategories(table, this.config.columns);
    return this;
  }

  /** Index of the first kept category of column j (1 when its first is dropped). */
  private first(j: number): number {
    const n = this.state.categories[j]!.length;
    const d = this.config.drop;
    return d === 'first' || (d === 'if_binary' && n === 2) ? 1 : 0;
  }

  /** Output column names, scikit-learn's `get_feature_names_out`. */
  featureNames(): string[] {
    const { columns, categories } = this.state;
    return columns.flatMap((name, j) =>
      categories[j]!.slice(this.first(j)).map((c) => `${name}_${c ?? 'nan'}`),
    );
  }

  transform(table: Table): Table {
    requireColumns(this.kind, table, this.state.columns);
    return foldColumns(this.state, table, (out, name, cats, j) => {
      const idx = indexOf(cats);
      const start = this.first(j);
      const data = cats.slice(start).map(() => new Float64Array(table.nRows));
      categoryKeys(table, name).forEach((v, i) => {
        const k = idx.get(v);
        if (k === undefined) {
          if (this.config.handleUnknown !== 'ignore') throw unknownError(this.kind, table, name, i, v, cats);
        } else if (k >= start) data[k - start]![i] = 1;
      });
      const added: Column[] = data.map((d, k) => ({
        name: `${name}_${cats[k + start] ?? 'nan'}`,
        dtype: 'float',
        data: d,
      }));
      return replaceColumn(out, name, added);
    });
  }

  /** One-hot columns back to categories (an all-zero row → the dropped category, or missing). */
  inverseTransform(table: Table): Table {
    const { dtypes } = this.state;
    return foldColumns(this.state, table, (out, name, cats, j) => {
      const start = this.first(j);
      const names = cats.slice(start).map((c) => `${name}_${c ?? 'nan'}`);
      requireColumns(this.kind, out, names);
      const cols = names.map((n) => out.numeric(n));
      const values = Array.from({ length: table.nRows }, (_, i) => {
        let best = -1;
        cols.forEach((c, k) => {
          if (c[i]! > 0.5 && (best < 0 || c[i]! > cols[best]![i]!)) best = k;
        });
        return best >= 0 ? cats[best + start]! : start === 1 ? cats[0]! : null;
      });
      const rest = out.drop(names.slice(1));
      return replaceColumn(rest, names[0]!, [makeColumn(name, values, dtypes[j])]);
    });
  }

  toJSON(): TransformState {
    return { kind: this.kind, version: 1, config: this.config, state: this.state };
  }
}

export interface OrdinalEncoderOptions {
  columns?: string[];
  /** 'error' (default) or 'use_encoded_value' (unknown → unknownValue). */
  handleUnknown?: 'error' | 'use_encoded_value';
  /** Code of an unknown category. Default -1. */
  unknownValue?: number;
}

/** Sorted categories → 0..k−1 (missing stays missing, as scikit-learn's encoded_missing_value=NaN). */
export class OrdinalEncoder extends BaseTransformer<EncoderState> {
  readonly kind = 'OrdinalEncoder';
  constructor(readonly config: OrdinalEncoderOptions = {}) {
    super();
  }

  fit(table: Table): this {
    const s = fitCategories(table, this.config.columns);
    this.fitted = { ...s, categories: s.categories.map((c) => c.filter((x) => x !== null)) };
    return this;
  }

  transform(table: Table): Table {
    requireColumns(this.kind, table, this.state.columns);
    return foldColumns(this.state, table, (out, name, cats) => {
      const idx = indexOf(cats);
      const codes = new Float64Array(table.nRows);
      categoryKeys(table, name).forEach((v, i) => {
        const k = v === null ? Number.NaN : idx.get(v);
        if (k === undefined) {
          if (this.config.handleUnknown !== 'use_encoded_value') {
            throw unknownError(this.kind, table, name, i, v, cats);
          }
          codes[i] = this.config.unknownValue ?? -1;
        } else codes[i] = k;
      });
      return out.withColumn({ name, dtype: 'int', data: codes });
    });
  }

  inverseTransform(table: Table): Table {
    const { dtypes } = this.state;
    return foldColumns(this.state, table, (out, name, cats, j) => {
      const values = Array.from(table.numeric(name), (k) => (Number.isNaN(k) ? null : (cats[k] ?? null)));
      return out.withColumn(makeColumn(name, values, dtypes[j]));
    });
  }

  toJSON(): TransformState {
    return { kind: this.kind, version: 1, config: this.config, state: this.state };
  }
}

/** Class labels ↔ 0..k−1 (sorted classes, numbers numerically), as scikit-learn's LabelEncoder. */
export class LabelEncoder {
  classes: Array<string | number> = [];

  fit(labels: ArrayLike<string | number | null>): this {
    const present = Array.from(labels).filter((v): v is string | number => v !== null && v !== undefined);
    const numeric = present.every((v) => typeof v === 'number');
    const distinct = [...new Set(present)];
    this.classes = numeric ? (distinct as number[]).sort((a, b) => a - b) : distinct.map(String).sort();
    return this;
  }

  /** Codes; a missing label → -1 (self-training's "unlabeled"). */
  transform(labels: ArrayLike<string | number | null>): Int32Array {
    const idx = new Map(this.classes.map((c, i) => [String(c), i]));
    return Int32Array.from(Array.from(labels), (v, i) => {
      if (v === null || v === undefined) return -1;
      const k = idx.get(String(v));
      if (k === undefined) {
        throw new TransformError(
          `LabelEncoder: label '${v}' at row ${i} was not seen in fit (classes: ${this.classes.join(', ')})`,
        );
      }
      return k;
    });
  }

  fitTransform(labels: ArrayLike<string | number | null>): Int32Array {
    return this.fit(labels).transform(labels);
  }

  inverseTransform(codes: ArrayLike<number>): Array<string | number | null> {
    return Array.from(codes, (k) => (k < 0 ? null : (this.classes[k] ?? null)));
  }

  toJSON(): TransformState {
    return { kind: 'LabelEncoder', version: 1, config: {}, state: { classes: this.classes } };
  }
}
