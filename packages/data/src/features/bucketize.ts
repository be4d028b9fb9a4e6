/**
 * Binning numbers into buckets: `KBinsDiscretizer` learns edges (uniform widths or quantiles, as
 * scikit-learn's, encode 'ordinal'); `Bucketizer` takes fixed boundaries (tf's
 * bucketized_column: [a, b] → (−∞, a), [a, b), [b, ∞)). Inverse maps a bin to its center.
 *
 *   new KBinsDiscretizer({ columns: ['age'], nBins: 4, strategy: 'quantile' }).fitTransform(t)
 */
import { OptionsError } from '@dlpipe/core';
import type { Table } from '../table/table.js';
import {
  BaseTransformer,
  requireColumns,
  resolveColumns,
  type TransformState,
} from '../transforms/transformer.js';

interface BinState {
  columns: string[];
  /** Per column: edges [e0, e1, …, ek] (e0/ek may be ±Infinity). */
  edges: number[][];
}

/** numpy's percentile with linear interpolation, of sorted values. */
export function percentile(sorted: number[], q: number): number {
  const pos = (q / 100) * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/** numpy's linspace(a, b, n): n points, the last exactly b. */
export function linspace(a: number, b: number, n: number): number[] {
  const step = (b - a) / (n - 1);
  return Array.from({ length: n }, (_, i) => (i === n - 1 ? b : a + i * step));
}

/** Bucket of x: how many inner edges are <= x (numpy searchsorted side='right'). */
function bucket(x: number, edges: number[]): number {
  if (Number.isNaN(x)) return Number.NaN;
  let k = 0;
  for (let e = 1; e < edges.length - 1; e++) if (x >= edges[e]!) k = e;
  return k;
}

abstract class Binner<C> extends BaseTransformer<BinState> {
  constructor(readonly config: C) {
    super();
  }

  transform(table: Table): Table {
    const { columns, edges } = this.state;
    requireColumns(this.kind, table, columns);
    return table.withColumns(
      columns.map((name, j) => ({
        name,
        dtype: 'int' as const,
        data: Float64Array.from(table.numeric(name), (x) => bucket(x, edges[j]!)),
      })),
    );
  }

  /** Bin index → the bin's center (finite edges only; an open end gives its finite edge). */
  inverseTransform(table: Table): Table {
    const { columns, edges } = this.state;
    return table.withColumns(
      columns.map((name, j) => {
        const e = edges[j]!;
        const center = (k: number) => {
          const [a, b] = [e[k]!, e[k + 1]!];
          return Number.isFinite(a) && Number.isFinite(b) ? (a + b) / 2 : Number.isFinite(a) ? a : b;
        };
        return {
          name,
          dtype: 'float' as const,
          data: Float64Array.from(table.numeric(name), (k) => (Number.isNaN(k) ? k : center(k))),
        };
      }),
    );
  }

  toJSON(): TransformState {
    return { kind: this.kind, version: 1, config: this.config, state: this.state };
  }
}

export interface KBinsDiscretizerOptions {
  /** Default: every numeric column. */
  columns?: string[];
  /** Default 5. */
  nBins?: number;
  /** 'uniform' widths or 'quantile' (equal counts, default, as scikit-learn). */
  strategy?: 'uniform' | 'quantile';
}

export class KBinsDiscretizer extends Binner<KBinsDiscretizerOptions> {
  readonly kind = 'KBinsDiscretizer';
  constructor(options: KBinsDiscretizerOptions = {}) {
    super(options);
    const n = options.nBins ?? 5;
    if (!(Number.isInteger(n) && n >= 2))
      throw new OptionsError(`KBinsDiscretizer nBins must be an integer >= 2, got ${n}`);
  }

  fit(table: Table): this {
    const columns = resolveColumns(table, this.config.columns, ['numeric']);
    const n = this.config.nBins ?? 5;
    const edges = columns.map((c) => {
      const v = Array.from(table.numeric(c))
        .filter((x) => !Number.isNaN(x))
        .sort((a, b) => a - b);
      const [min, max] = [v[0] ?? 0, v[v.length - 1] ?? 0];
      if (min === max) return [-Infinity, Infinity];
      if ((this.config.strategy ?? 'quantile') === 'uniform') return linspace(min, max, n + 1);
      const q = linspace(0, 100, n + 1).map((p) => percentile(v, p));
      return q.filter((x, i) => i === 0 || x - q[i - 1]! > 1e-8);
    });
    this.fitted = { columns, edges };
    return this;
  }

  /** Learned edges per column. */
  get binEdges(): number[][] {
    return this.state.edges;
  }
}

export interface BucketizerOptions {
  /** Sorted boundaries per column. */
  boundaries: Record<string, number[]>;
}

export class Bucketizer extends Binner<BucketizerOptions> {
  readonly kind = 'Bucketizer';
  constructor(options: BucketizerOptions) {
    super(options);
    for (const [c, b] of Object.entries(options.boundaries)) {
      if (b.some((x, i) => i > 0 && !(x > b[i - 1]!))) {
        throw new OptionsError(`Bucketizer boundaries of '${c}' must increase strictly, got [${b}]`);
      }
    }
  }

  fit(table: Table): this {
    const columns = Object.keys(this.config.boundaries);
    for (const c of columns) table.numeric(c);
    this.fitted = {
      columns,
      edges: columns.map((c) => [-Infinity, ...this.config.boundaries[c]!, Infinity]),
    };
    return this;
  }
}
