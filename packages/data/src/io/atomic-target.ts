/**
 * Core's `withAtomicFile` for writers that are opened, written chunk by chunk and only later closed
 * or aborted (CsvWriter, FeatherWriter): the temporary path at once, then `commit()` (rename into
 * place) or `discard()` (remove it). The temporary file is hidden, beside the target, and removed
 * on any failure or process exit by core, so no `*.tmp-*` is left behind. A process killed with
 * SIGKILL cannot remove its own: the next write of the same target removes temporary files of
 * that target whose process is gone.
 *
 *   const target = await openAtomicTarget('out.feather');
 *   await writeEverything(target.tmp);
 *   await target.commit();               // or: await target.discard();
 */
import { readdirSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { tempPathFor, withAtomicFile } from '@dlpipe/core';

export interface AtomicTarget {
  /** Where to write: a hidden temporary file beside the target, with the target's extensions. */
  readonly tmp: string;
  /** Renames the finished temporary file over the target. */
  commit(): Promise<void>;
  /** Removes the temporary file; the target is untouched. */
  discard(): Promise<void>;
}

/** Thrown inside withAtomicFile to make it remove the temporary file; never escapes. */
const DISCARDED = Symbol('discarded');

/** False when no process has this id (a process of another user still counts as alive). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the temporary files of `path` left by processes that no longer exist (killed with
 * SIGKILL, or by a power cut). Their names follow core's `tempPathFor`: `.stem.tmp-PID-HEX.ext`.
 */
export function removeStaleTemps(path: string): string[] {
  const m = /^(.*\.tmp-)\d+-[0-9a-f]+(.*)$/.exec(basename(tempPathFor(path)));
  if (!m) return []; // core named them otherwise: leave everything alone
  const prefix = m[1]!;
  const suffix = m[2]!;
  const dir = dirname(path);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith(suffix)) continue;
    const id = /^(\d+)-[0-9a-f]+$/.exec(name.slice(prefix.length, name.length - suffix.length));
    if (!id || alive(Number(id[1]))) continue;
    rmSync(join(dir, name), { force: true });
    removed.push(name);
  }
  return removed;
}

/** Opens an atomic write of `path` (after removing stale temporary files of it); see AtomicTarget. */
export async function openAtomicTarget(path: string): Promise<AtomicTarget> {
  removeStaleTemps(path);
  let decide!: (commit: boolean) => void;
  const decided = new Promise<boolean>((resolve) => {
    decide = resolve;
  });
  let gotTmp!: (tmp: string) => void;
  const tmpPath = new Promise<string>((resolve) => {
    gotTmp = resolve;
  });
  const done = withAtomicFile(path, async (tmp) => {
    gotTmp(tmp);
    if (!(await decided)) throw DISCARDED;
  });
  done.catch(() => undefined); // surfaced by commit() / discard()
  const tmp = await Promise.race([tmpPath, done.then(() => tmpPath)]);
  return {
    tmp,
    async commit() {
      decide(true);
      await done;
    },
    async discard() {
      decide(false);
      await done.catch((err: unknown) => {
        if (err !== DISCARDED) throw err;
      });
    },
  };
}
