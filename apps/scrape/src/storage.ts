/**
 * What the `dlpipe-scrape` commands share: the --storage and --jobs flags (declared once, with
 * their environment defaults DLPIPE_SCRAPE_STORAGE and DLPIPE_SCRAPE_JOBS), opening the store,
 * and finding a run by id or job name.
 *
 *   flags: { storage: storageFlag, jobs: jobsFlag }
 *   const run = await findRun(openStore(storage), '3');
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { checkInputDir, InterruptedError, PathError } from '@dlpipe/core';
import { openSqliteStore, type RunInfo, type SqliteStore, StorageError, storePath } from '@dlpipe/scrape';
import { z } from 'zod';

/** --storage DIR: where runs live (default $DLPIPE_SCRAPE_STORAGE or runs/scrape). */
export const storageFlag = z
  .string()
  .default(process.env.DLPIPE_SCRAPE_STORAGE ?? 'runs/scrape')
  .meta({ placeholder: 'DIR', description: 'the runs, queues and datasets ($DLPIPE_SCRAPE_STORAGE)' });

const DEFAULT_JOBS = process.env.DLPIPE_SCRAPE_JOBS ?? 'jobs';

/** --jobs DIR: the job files (default $DLPIPE_SCRAPE_JOBS or jobs). */
export const jobsFlag = z
  .string()
  .default(DEFAULT_JOBS)
  .meta({ placeholder: 'DIR', description: 'the job files ($DLPIPE_SCRAPE_JOBS)' });

/** Opens the store of a storage directory. */
export function openStore(storage: string): SqliteStore {
  return openSqliteStore(storePath(storage));
}

/** Opens the store for reading commands: a mistyped --storage is an error, not a new empty store. */
export function openExistingStore(storage: string): SqliteStore {
  const path = storePath(storage);
  if (!existsSync(path)) {
    throw new PathError(
      path,
      'no scrape store here: run a job first (pnpm scrape run <job>) or pass --storage',
    );
  }
  return openStore(storage);
}

/**
 * Checks --storage before any work, creating nothing: a folder, or a path whose nearest existing
 * part is a folder (so it can be made). A file there is a PathError naming it.
 */
export function checkStorage(storage: string): void {
  for (let p = resolve(storage); ; p = dirname(p)) {
    const st = statSync(p, { throwIfNoEntry: false });
    if (st?.isDirectory()) return;
    if (st) {
      const where = p === resolve(storage) ? 'it' : p;
      throw new PathError(storage, `${where} is a file; expected a folder (the --storage folder)`);
    }
    if (p === dirname(p)) return;
  }
}

/** Checks --jobs before any work: a folder; only the default may be missing (a job given as a file needs none). */
export function checkJobs(jobs: string): void {
  if (jobs !== DEFAULT_JOBS || existsSync(jobs)) checkInputDir(jobs, '--jobs folder');
}

/** A run by id (`12`) or by job name (its newest run). */
export async function findRun(store: SqliteStore, ref: string): Promise<RunInfo> {
  const run = /^\d+$/.test(ref) ? await store.runs.get(Number(ref)) : await store.runs.latest(ref);
  if (!run)
    throw new StorageError(`no run '${ref}' in ${store.path}; list runs with \`dlpipe-scrape status\``);
  return run;
}

/** The signal that stopped the work (runCli aborts ctx.signal with an InterruptedError naming it). */
export function stopSignalName(signal: AbortSignal): 'SIGINT' | 'SIGTERM' {
  return signal.reason instanceof InterruptedError && signal.reason.signal === 'SIGTERM'
    ? 'SIGTERM'
    : 'SIGINT';
}
