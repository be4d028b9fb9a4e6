/**
 * What the `dlpipe-scrape` commands share: the --storage and --jobs flags (declared once, with
 * their environment defaults DLPIPE_SCRAPE_STORAGE and DLPIPE_SCRAPE_JOBS), opening the store,
 * and finding a run by id or job name.
 *
 *   flags: { storage: storageFlag, jobs: jobsFlag }
 *   const run = await findRun(openStore(storage), '3');
 */
import { InterruptedError } from '@dlpipe/core';
import { openSqliteStore, type RunInfo, type SqliteStore, StorageError, storePath } from '@dlpipe/scrape';
import { z } from 'zod';

/** --storage DIR: where runs live (default $DLPIPE_SCRAPE_STORAGE or runs/scrape). */
export const storageFlag = z
  .string()
  .default(process.env.DLPIPE_SCRAPE_STORAGE ?? 'runs/scrape')
  .meta({ placeholder: 'DIR', description: 'the runs, queues and datasets ($DLPIPE_SCRAPE_STORAGE)' });

/** --jobs DIR: the job files (default $DLPIPE_SCRAPE_JOBS or jobs). */
export const jobsFlag = z
  .string()
  .default(process.env.DLPIPE_SCRAPE_JOBS ?? 'jobs')
  .meta({ placeholder: 'DIR', description: 'the job files ($DLPIPE_SCRAPE_JOBS)' });

/** Opens the store of a storage directory. */
export function openStore(storage: string): SqliteStore {
  return openSqliteStore(storePath(storage));
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
