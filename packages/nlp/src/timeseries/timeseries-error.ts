/**
 * The typed error of the time-series tools: a series too short for its lags and horizons, options
 * out of range, a model of the wrong width. The message says what was received, what was expected
 * and how to fix it; a CLI exits 2 (bad input). A bad CSV cell is @dlpipe/data's `CsvError`
 * instead (file, line and column).
 *
 *   try { lagFeatures(x, 4) } catch (e) { if (e instanceof TimeSeriesError) console.error(e.message); }
 */
import { DlpipeError, zodMessage } from '@dlpipe/core';
import type { z } from 'zod';

export class TimeSeriesError extends DlpipeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('NLP_TIMESERIES', message, options);
  }
}

/** Parses options with a zod schema; failures are `TimeSeriesError`s naming each field. */
export function parseSeriesOptions<S extends z.ZodType>(
  what: string,
  schema: S,
  options: unknown,
): z.output<S> {
  const r = schema.safeParse(options);
  if (!r.success) throw new TimeSeriesError(`${zodMessage(`${what} options`, r.error)}.`);
  return r.data;
}
