/**
 * A series from a CSV column (@dlpipe/data's `readCsv`, any compression): the values of one
 * column named by its header, optionally ordered by a time/order column (numbers or dates). A
 * missing or non-numeric cell is a `CsvError` naming the file, the line and the column.
 *
 *   const series = await readSeriesCsv('sales.csv', { column: 'units', timeColumn: 'date' });
 *   // { time: [ms since 1970, …] sorted, x: [...], name: 'units', timeLabel: 'date' }
 */
import { checkInputFile } from '@dlpipe/core';
import { type Column, CsvError, parseNumber, readCsv, type Table } from '@dlpipe/data';
import { z } from 'zod';
import type { TimeSeries } from './sine-series.js';
import { parseSeriesOptions } from './timeseries-error.js';

export interface ReadSeriesCsvOptions {
  /** The header name of the column holding the values. */
  column: string;
  /** The header name of a time/order column (numbers or dates); rows are sorted by it. Default: file order. */
  timeColumn?: string;
}

const csvSchema = z.object({
  column: z.string().min(1),
  timeColumn: z.string().min(1).optional(),
});

/** The file line of row i (header = line 1), for messages. */
function lineOf(t: Table, i: number): number | undefined {
  const line = t.source?.lines?.[i];
  return line ?? i + 2;
}

/** A column's values as numbers; the first missing or non-numeric cell is a CsvError. */
function numbersOf(path: string, t: Table, col: Column, what: string): number[] {
  const fail = (i: number, msg: string): never => {
    throw new CsvError(path, { line: lineOf(t, i), column: col.name }, msg);
  };
  if (col.dtype === 'string' || col.dtype === 'bool') {
    return col.data.map((v, i) => {
      if (v === null)
        return fail(i, `missing value; the ${what} needs a number in every row (fill or drop the row)`);
      const n = typeof v === 'string' ? parseNumber(v) : undefined;
      return (
        n ??
        fail(
          i,
          `'${String(v)}' is not a number; the ${what} needs numbers (fix the cell or pick another column)`,
        )
      );
    });
  }
  const out = Array.from(col.data);
  const gap = out.findIndex((v) => Number.isNaN(v));
  if (gap >= 0) fail(gap, `missing value; the ${what} needs a number in every row (fill or drop the row)`);
  return out;
}

/** Reads one numeric column of a CSV as a series, in file order or sorted by `timeColumn`. */
export async function readSeriesCsv(path: string, options: ReadSeriesCsvOptions): Promise<TimeSeries> {
  const { column, timeColumn } = parseSeriesOptions('readSeriesCsv', csvSchema, options);
  checkInputFile(path, 'series CSV');
  const t = await readCsv(path, { usecols: timeColumn ? [column, timeColumn] : [column] });
  if (t.nRows === 0)
    throw new CsvError(path, { column }, 'no data rows; the series needs values under the header');
  const valueCol = t.column(column);
  if (valueCol.dtype === 'date') {
    throw new CsvError(
      path,
      { column },
      'holds dates, not values; name it as the time column and pick a numeric column',
    );
  }
  const x = numbersOf(path, t, valueCol, 'series column');
  if (!timeColumn) return { time: x.map((_, i) => i + 1), x, name: column, timeLabel: 'row' };
  const time = numbersOf(path, t, t.column(timeColumn), 'time column');
  const order = time.map((_, i) => i).sort((a, b) => time[a]! - time[b]! || a - b);
  return {
    time: order.map((i) => time[i]!),
    x: order.map((i) => x[i]!),
    name: column,
    timeLabel: timeColumn,
  };
}
