/**
 * Checks of input and output paths before any work starts, and a `mkdir -p` that cannot hang:
 * each problem is a PathError naming the path and what was expected (exit 2 in a CLI).
 *
 *   checkInputFile(o.file);                 // exists, is a file, is readable
 *   checkOutputFile(o.out);                 // its folder exists and is writable; not a folder itself
 *   ensureDir('runs/demo');                 // creates missing folders one by one
 */
import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import { dirname, parse, resolve, sep } from 'node:path';
import { PathError } from '../errors.js';

function statOf(path: string) {
  try {
    return statSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'ENOTDIR') throw new PathError(path, 'a part of the path is a file, not a folder');
    throw new PathError(path, `cannot be read (${code ?? (err as Error).message})`, { cause: err });
  }
}

/** An input file that exists, is a regular file and is readable. */
export function checkInputFile(path: string, what = 'input file'): void {
  const st = statOf(path);
  if (!st) throw new PathError(path, `no such file (the ${what})`);
  if (st.isDirectory()) throw new PathError(path, `is a folder; expected a file (the ${what})`);
  try {
    accessSync(path, constants.R_OK);
  } catch {
    throw new PathError(path, `is not readable (the ${what})`);
  }
}

/** An input folder that exists. */
export function checkInputDir(path: string, what = 'input folder'): void {
  const st = statOf(path);
  if (!st) throw new PathError(path, `no such folder (the ${what})`);
  if (!st.isDirectory()) throw new PathError(path, `is a file; expected a folder (the ${what})`);
}

/**
 * A file that will be written: not a folder, and its folder exists and is writable (a missing folder
 * is an error: a typo there should not silently create a tree). Checked before the work starts.
 */
export function checkOutputFile(path: string, what = 'output file'): void {
  const st = statOf(path);
  if (st?.isDirectory() || path.endsWith(sep) || path.endsWith('/')) {
    throw new PathError(path, `is a folder; expected a file name (the ${what})`);
  }
  const dir = dirname(resolve(path));
  const d = statOf(dir);
  if (!d)
    throw new PathError(path, `its folder ${dirname(path)} does not exist; create it first (the ${what})`);
  if (!d.isDirectory()) throw new PathError(path, `${dirname(path)} is a file, not a folder (the ${what})`);
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    throw new PathError(path, `its folder is not writable (the ${what})`);
  }
  if (st) {
    try {
      accessSync(path, constants.W_OK);
    } catch {
      throw new PathError(path, `exists and is not writable (the ${what})`);
    }
  }
}

/**
 * `mkdir -p` one level at a time, so an impossible path (a file on the way, /proc, a read-only
 * mount) is a PathError naming it instead of a hang or a bare errno.
 */
export function ensureDir(path: string, what = 'output folder'): void {
  const abs = resolve(path);
  const { root } = parse(abs);
  const parts = abs.slice(root.length).split(sep).filter(Boolean);
  let cur = root;
  for (const part of parts) {
    cur = cur === root ? `${root}${part}` : `${cur}${sep}${part}`;
    const st = statOf(cur);
    if (st?.isDirectory()) continue;
    if (st) throw new PathError(path, `${cur} is a file, not a folder (the ${what})`);
    try {
      mkdirSync(cur);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST' && statOf(cur)?.isDirectory()) continue;
      throw new PathError(path, `cannot create ${cur} (${code ?? (err as Error).message}) (the ${what})`, {
        cause: err,
      });
    }
  }
  try {
    accessSync(abs, constants.W_OK);
  } catch {
    throw new PathError(path, `is not writable (the ${what})`);
  }
}
