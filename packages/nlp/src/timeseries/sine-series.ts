/**
 * d2l's toy series (d2l 0.17 §8.1, d2l 1.0 §9.1): x_t = sin(0.01 t) + ε, ε ~ N(0, 0.2²), for
 * t = 1, …, T (T = 1000), seeded. A `TimeSeries` is what every forecasting function takes: the
 * times (the plot's x axis) and the values, in order.
 *
 *   const { time, x } = sineSeries({ seed: 42 });   // 1000 points, x ≈ sin(t/100) ± 0.2
 */
import { Rng } from '@dlpipe/core';
import { z } from 'zod';
import { parseSeriesOptions, TimeSeriesError } from './timeseries-error.js';

/** A univariate series in time order. */
export interface TimeSeries {
  /** The time (or order) of each value: the plots' x axis. */
  time: number[];
  /** The values. */
  x: number[];
  /** What the values are (a CSV column name, 'sin(0.01 t) + noise'). */
  name?: string;
  /** The time axis' label. Default 'time'. */
  timeLabel?: string;
}

export interface SineSeriesOptions {
  /** Number of points T. Default 1000 (d2l). */
  T?: number;
  /** Standard deviation of the Gaussian noise. Default 0.2 (d2l). */
  noise?: number;
  /** Seed of the noise. Default 0. */
  seed?: number;
}

const sineSchema = z.object({
  T: z.number().int().min(2).default(1000),
  noise: z.number().min(0).default(0.2),
  seed: z.number().int().default(0),
});

/** d2l's noisy sine: x_t = sin(0.01 t) + N(0, noise²), t = 1, …, T. */
export function sineSeries(options: SineSeriesOptions = {}): TimeSeries {
  const { T, noise, seed } = parseSeriesOptions('sineSeries', sineSchema, options);
  const rng = new Rng(seed);
  const time = Array.from({ length: T }, (_, i) => i + 1);
  const x = time.map((t) => Math.sin(0.01 * t) + rng.normal() * noise);
  return { time, x, name: 'sin(0.01 t) + noise', timeLabel: 'time' };
}

/** Checks that a series has one time per value and only finite numbers. */
export function checkSeries(series: TimeSeries): void {
  if (series.time.length !== series.x.length) {
    throw new TimeSeriesError(
      `a series needs one time per value, got ${series.time.length} times and ${series.x.length} values.`,
    );
  }
  const bad = series.x.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) {
    throw new TimeSeriesError(
      `the series holds ${series.x[bad]} at index ${bad}; pass finite numbers only (drop or fill missing values).`,
    );
  }
}
