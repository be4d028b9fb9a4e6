/**
 * Exports a run's dataset or image manifest (JSONL, CSV, Feather) to a file, by default beside
 * the run's other files: `<storage>/<job>/<run>/dataset.<ext>` or `images/manifest.<ext>`.
 *
 *   const r = await exportRun(store, 3, { format: 'csv', storageDir: 'runs/scrape' });
 *   r.path; r.rows;
 */
import { dirname, join } from 'node:path';
import { checkOutputFile, ensureDir } from '@dlpipe/core';
import { StorageError } from '../errors.js';
import type { ScrapeStore } from '../storage/types.js';
import { type ExportFormat, exportRows, type RowSource } from './export-rows.js';

/** The store file and per-run directories under a storage directory. */
export const storePath = (storageDir: string): string => join(storageDir, 'scrape.sqlite');
export const runDirOf = (storageDir: string, job: string, runId: number): string =>
  join(storageDir, job, String(runId));

/** Options of `exportRun`. */
export interface ExportRunOptions {
  format: ExportFormat;
  /** Runs' files live under it (for the default output path). */
  storageDir: string;
  /** The file to write. Default in the run's directory. */
  out?: string;
  /** 'records' (the dataset, default) or 'images' (the image manifest). */
  what?: 'records' | 'images';
}

export async function exportRun(
  store: ScrapeStore,
  runId: number,
  o: ExportRunOptions,
): Promise<{ path: string; rows: number }> {
  const run = await store.runs.get(runId);
  if (!run) throw new StorageError(`no run ${runId} in the store; list runs with \`dlpipe-scrape status\``);
  const dataset = store.dataset(runId);
  const what = o.what ?? 'records';
  const dir = runDirOf(o.storageDir, run.job, runId);
  const path =
    o.out ??
    (what === 'images' ? join(dir, 'images', `manifest.${o.format}`) : join(dir, `dataset.${o.format}`));
  const rows: RowSource =
    what === 'images'
      ? async function* () {
          for await (const { index, requestId, ...img } of dataset.images()) yield img; // file: relative to images/
        }
      : async function* () {
          for await (const r of dataset.records()) yield r.data;
        };
  // --out is the user's: its folder must exist (a typo there is not silently made a tree)
  if (o.out === undefined) ensureDir(dirname(path), 'export folder');
  else checkOutputFile(path, 'export file');
  return { path, rows: await exportRows(rows, path, o.format) };
}
