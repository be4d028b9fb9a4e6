/**
 * Labels in and out of the store as CSV: `importLabelsCsv` reads people's labels (a review
 * sheet, an annotation export) and records them as 'imported', which overrides pseudo-labels;
 * `exportLabels` writes the current labels (or the whole history) as CSV or Feather.
 *
 *   await importLabelsCsv(store, 'reviewed.csv', { idCol: 'id', labelCol: 'label' });
 *   await exportLabels(store, 'labels.csv');
 */
import { checkInputFile, checkOutputFile, withAtomicFile } from '@dlpipe/core';
import { CsvError, readTable, Table, writeTable } from '@dlpipe/data';
import type { AddResult, LabelRecord, LabelSource, LabelStore } from './label-store.js';

export interface ImportLabelsOptions {
  /** Column with item ids. Default 'id'. */
  idCol?: string;
  /** Column with labels. Default 'label'. */
  labelCol?: string;
  /** Recorded source. Default 'imported'. */
  source?: Exclude<LabelSource, 'pseudo'>;
  /** CSV delimiter. */
  delimiter?: string;
}

export interface ImportResult extends AddResult {
  /** Rows without a label (left alone). */
  empty: number;
}

/** Reads (id, label) rows from a CSV/Feather file into the store. */
export async function importLabelsCsv(
  store: LabelStore,
  path: string,
  o: ImportLabelsOptions = {},
): Promise<ImportResult> {
  const idCol = o.idCol ?? 'id';
  const labelCol = o.labelCol ?? 'label';
  checkInputFile(path, 'labels file');
  const t = await readTable(path, { delimiter: o.delimiter, dtypes: {} });
  for (const [what, col, flag] of [
    ['id', idCol, '--id-col'],
    ['label', labelCol, '--label-col'],
  ] as const) {
    if (!t.has(col)) {
      throw new CsvError(
        path,
        { line: 1, column: col },
        `no ${what} column '${col}'; the header has [${t.columnNames.join(', ')}]: pass ${flag}`,
      );
    }
  }
  const ids = t.strings(idCol);
  const labels = t.strings(labelCol);
  const rows = ids.flatMap((id, i) => {
    const label = labels[i] ?? null;
    if (id === null)
      throw new CsvError(path, { line: t.source?.lines?.[i], column: idCol }, 'the item id is empty');
    return label === null ? [] : [{ itemId: id, label, source: o.source ?? 'imported' }];
  });
  return { ...store.add(rows), empty: t.nRows - rows.length };
}

/** Labels as a table: id, label, source, confidence, iteration, time. */
export function labelsTable(records: LabelRecord[]): Table {
  return Table.fromColumns(
    {
      id: records.map((r) => r.itemId),
      label: records.map((r) => r.label),
      source: records.map((r) => r.source),
      confidence: records.map((r) => r.confidence),
      iteration: records.map((r) => r.iteration),
      time: records.map((r) => r.time),
    },
    {
      dtypes: {
        id: 'string',
        label: 'string',
        source: 'string',
        confidence: 'float',
        iteration: 'int',
        time: 'string',
      },
    },
  );
}

/** Writes the current labels (or every record with history: true) to a CSV/Feather file, atomically. */
export async function exportLabels(
  store: LabelStore,
  path: string,
  o: { history?: boolean } = {},
): Promise<number> {
  checkOutputFile(path);
  const records = o.history ? store.current().flatMap((r) => store.history(r.itemId)) : store.current();
  await withAtomicFile(path, (tmp) => writeTable(tmp, labelsTable(records)));
  return records.length;
}
