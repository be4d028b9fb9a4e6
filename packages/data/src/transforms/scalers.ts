/**
 * Column scalers with fit / transform / inverse, as scikit-learn's: z-score (`StandardScaler`,
 * population std), `MinMaxScaler` (into a feature range), `MaxAbsScaler` (into [-1, 1]). Each is an
 * affine map y = (x − center) / scale per column; missing values (NaN) are ignored in fit and kept.
 *
 *   const s = new MinMaxScaler({ columns: ['age'] }); const t = s.fitTransform(table);
 */
import { OptionsError } from '@dlpipe/core';
import type { Table } from '../table/table.js';
import { BaseTransformer, requireColumns, resolveColumns, type TransformState } from './transformer.js';

export interface ScalerState {
  columns: string[];
  center: number[];
  scale: number[];
}

/** Present (non-NaN) values of a column. */
function present(x: Float64Array): number[] {
  const out: number[] = [];
  for (const v of x) if (!Number.isNaN(v)) out.push(v);
  return out;
}

abstract class AffineScaler<Config extends { columns?: string[] }> extends BaseTransformer<ScalerState> {
  constructor(readonly config: Config) {
    super();
  }

  /** center and scale of one column's present values. */
  protected abstract params(values: number[]): { center: number; scale: number };

  fit(table: Table): this {
    const columns = resolveColumns(table, this.config.columns, ['numeric']);
    const ps = columns.map((c) => this.params(present(table.numeric(c))));
    this.fitted = { columns, center: ps.map((p) => p.center), scale: ps.map((p) => p.scale) };
    return this;
  }

  private map(table: Table, f: (v: number, c: number, s: number) => number): Table {
    const { columns, center, scale } = this.state;
    requireColumns(this.kind, table, columns);
    let out = table;
    columns.forEach((name, j) => {
      const x = table.numeric(name);
      const y = new Float64Array(x.length);
      for (let i = 0; i < x.length; i++) y[i] = f(x[i]!, center[j]!, scale[j]!);
      out = out.withColumn({ name, dtype: 'float', data: y });
    });
    return out;
  }

  transform(table: Table): Table {
    return this.map(table, (v, c, s) => (v - c) / s);
  }

  inverseTransform(table: Table): Table {
    return this.map(table, (v, c, s) => v * s + c);
  }

  toJSON(): TransformState {
    return { kind: this.kind, version: 1, config: this.config, state: this.state };
  }
}

/** A zero range/std/max scales by 1, as scikit-learn does. */
const nonZero = (s: number) => (s === 0 || !Number.isFinite(s) ? 1 : s);

export interface StandardScalerOptions {
  /** Columns to scale. Default: every numeric column at fit. */
  columns?: string[];
  /** Subtract the mean. Default true. */
  withMean?: boolean;
  /** Divide by the (population) standard deviation. Default true. */
  withStd?: boolean;
}

/** z-score: (x − mean) / std, std with ddof 0 like scikit-learn. */
export class StandardScaler extends AffineScaler<StandardScalerOptions> {
  readonly kind = 'StandardScaler';
  constructor(options: StandardScalerOptions = {}) {
    super(options);
  }
  protected params(v: number[]): { center: number; scale: number } {
    const n = Math.max(1, v.length);
    const mean = v.reduce((a, b) => a + b, 0) / n;
    const std = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / n);
    return {
      center: this.config.withMean === false ? 0 : mean,
      scale: this.config.withStd === false ? 1 : nonZero(std),
    };
  }
}

export interface MinMaxScalerOptions {
  columns?: string[];
  /** Target range. Default [0, 1]. */
  featureRange?: [number, number];
}

/** (x − min) / (max − min) mapped into featureRange. */
export class MinMaxScaler extends AffineScaler<MinMaxScalerOptions> {
  readonly kind = 'MinMaxScaler';
  constructor(options: MinMaxScalerOptions = {}) {
    super(options);
    const [a, b] = options.featureRange ?? [0, 1];
    if (!(a < b))
      throw new OptionsError(`MinMaxScaler featureRange must be [min, max] with min < max, got [${a}, ${b}]`);
  }
  protected params(v: number[]): { center: number; scale: number } {
    const [a, b] = this.config.featureRange ?? [0, 1];
    const min = v.reduce((m, x) => Math.min(m, x), Infinity);
    const max = v.reduce((m, x) => Math.max(m, x), -Infinity);
    const range = nonZero(max - min);
    const scale = range / (b - a);
    return { center: (Number.isFinite(min) ? min : 0) - a * scale, scale };
  }
}

export interface MaxAbsScalerOptions {
  columns?: string[];
}

/** x / max|x|, into [−1, 1] without shifting (keeps zeros and sparsity). */
export class MaxAbsScaler extends AffineScaler<MaxAbsScalerOptions> {
  readonly kind = 'MaxAbsScaler';
  constructor(options: MaxAbsScalerOptions = {}) {
    super(options);
  }
  protected params(v: number[]): { center: number; scale: number } {
    return { center: 0, scale: nonZero(v.reduce((m, x) => Math.max(m, Math.abs(x)), 0)) };
  }
}
