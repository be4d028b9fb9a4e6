/**
 * Output files and label-store changes, all or nothing: each file is written to a temporary file
 * beside it (core's `withAtomicFile`), the store change runs in one transaction, and that
 * transaction commits only after every file is in place. On a failure nothing is renamed, the
 * temporary files are removed and the store is rolled back; a kill before the commit leaves the
 * store as it was.
 *
 *   checkOutputs(['labeled.csv', 'labeled.rounds.json']);        // before the work starts
 *   await commitOutputs(
 *     [{ path: 'labeled.csv', write: (tmp) => writeTable(tmp, table) }],
 *     store, (s) => s.add(pseudoLabels),
 *   );
 */
import { resolve } from 'node:path';
import { checkOutputFile, OptionsError, withAtomicFile } from '@dlpipe/core';
import type { LabelStore } from './label-store.js';

/** A file to write: `write` fills the temporary path it is given. */
export interface OutputFile {
  path: string;
  write: (tmp: string) => unknown;
}

/** Checks output paths before any work: each one's folder exists and is writable, no path twice. */
export function checkOutputs(paths: readonly string[], what = 'output file'): void {
  const seen = new Map<string, string>();
  for (const p of paths) {
    checkOutputFile(p, what);
    const other = seen.get(resolve(p));
    if (other !== undefined)
      throw new OptionsError(`${p} and ${other} are the same file: give each output its own`);
    seen.set(resolve(p), p);
  }
}

/** Runs `work` with a temporary path for each of `paths`; renames them all into place when it resolves. */
export async function withAtomicFiles<T>(
  paths: readonly string[],
  work: (tmps: string[]) => Promise<T>,
): Promise<T> {
  const [first, ...rest] = paths;
  if (first === undefined) return work([]);
  return withAtomicFile(first, (tmp) => withAtomicFiles(rest, (tmps) => work([tmp, ...tmps])));
}

/** Writes `files` and applies `change` to `store` (when given), all or nothing. */
export async function commitOutputs<T>(
  files: readonly OutputFile[],
  store?: LabelStore,
  change?: (store: LabelStore) => T,
): Promise<T | undefined> {
  const write = async () => {
    const r = store && change ? change(store) : undefined;
    await withAtomicFiles(
      files.map((f) => f.path),
      async (tmps) => {
        for (const [i, f] of files.entries()) await f.write(tmps[i]!);
      },
    );
    return r;
  };
  return store ? store.transaction(write) : write();
}
