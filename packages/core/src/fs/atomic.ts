/**
 * Writes that are all or nothing: the data goes to a temporary file beside the target, which is
 * renamed over it only when complete; on any failure (or a signal) the temporary file is removed,
 * so a reader never sees half a file and no `*.tmp-*` is left behind.
 *
 *   await writeFileAtomic('runs/x/metrics.json', JSON.stringify(m));
 *   await withAtomicFile('out.csv.gz', async (tmp) => writeCsv(tmp, rows)); // streaming writers
 */
import { randomBytes } from 'node:crypto';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

const live = new Set<string>();
let hooked = false;

/** Removes temporary files still open when the process is stopped by a signal or exits. */
function hookExit(): void {
  if (hooked) return;
  hooked = true;
  process.on('exit', () => {
    for (const t of live) rmSync(t, { force: true });
  });
}

/**
 * A temporary path beside `path` (same folder, so the rename is atomic), keeping the file's
 * extensions so writers that choose a format by name (`.csv.gz`) still see it.
 */
export function tempPathFor(path: string): string {
  const base = basename(path);
  const dot = base.indexOf('.', 1);
  const stem = dot === -1 ? base : base.slice(0, dot);
  const ext = dot === -1 ? '' : base.slice(dot);
  return join(dirname(path), `.${stem}.tmp-${process.pid}-${randomBytes(3).toString('hex')}${ext}`);
}

/** Runs `write(tmp)`, then renames tmp over `path`; removes tmp if anything fails. */
export async function withAtomicFile<T>(path: string, write: (tmp: string) => Promise<T>): Promise<T> {
  hookExit();
  const tmp = tempPathFor(path);
  live.add(tmp);
  try {
    const r = await write(tmp);
    await rename(tmp, path);
    return r;
  } catch (err) {
    await rm(tmp, { force: true, recursive: true });
    throw err;
  } finally {
    live.delete(tmp);
  }
}

/** Writes a whole file atomically. */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await withAtomicFile(path, (tmp) => writeFile(tmp, data));
}

/** The synchronous form, for small files written at the end of a step. */
export function writeFileAtomicSync(path: string, data: string | Uint8Array): void {
  const tmp = tempPathFor(path);
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}
