/**
 * The small CSV files the demo's steps hand to each other (labels.csv, pool-items.csv,
 * test-items.csv, review.csv): written with @dlpipe/data's quoting, read back with its reader as
 * strings.
 *
 *   await writeCsvRows('runs/demo/label/test-items.csv', ['sku', 'file'], [['FS-1', '/…/a.png']]);
 *   const rows = await readCsvRows('runs/demo/label/test-items.csv', 'label');  // [{ sku, file }]
 */
import { writeFileAtomic } from '@dlpipe/core';
import { quoteField, readCsv } from '@dlpipe/data';
import { DemoInputError } from './step-files.js';

export type CsvValue = string | number | null;

/** Writes a header and rows (null → empty field). */
export async function writeCsvRows(file: string, header: string[], rows: CsvValue[][]): Promise<void> {
  const line = (values: CsvValue[]) =>
    values.map((v) => (v === null ? '' : quoteField(String(v), ','))).join(',');
  await writeFileAtomic(file, `${[line(header), ...rows.map(line)].join('\n')}\n`);
}

/** Every row as strings by column name; a missing or broken file names the step to run again. */
export async function readCsvRows(file: string, step: string): Promise<Array<Record<string, string>>> {
  try {
    const t = await readCsv(file);
    const cols = Object.fromEntries(t.columnNames.map((c) => [c, t.strings(c)]));
    return Array.from({ length: t.nRows }, (_, i) =>
      Object.fromEntries(t.columnNames.map((c) => [c, cols[c]![i] ?? ''])),
    );
  } catch (err) {
    throw new DemoInputError(`cannot read ${file} (${(err as Error).message}): run the '${step}' step again`);
  }
}
