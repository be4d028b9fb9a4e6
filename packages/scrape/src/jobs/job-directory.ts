/**
 * The jobs of a directory: every job file in it, loaded and checked; files that fail are listed
 * with their problems instead of stopping the others.
 *
 *   const entries = await listJobs('jobs');   // [{ file, job } | { file, error }]
 *   const job = await findJob('shop', 'jobs'); // by path or by name
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { DlpipeError } from '@dlpipe/core';
import { JobFileError, StorageError } from '../errors.js';
import { JOB_FILE_EXTENSIONS, type Job, loadJob } from './load-job.js';

export type JobEntry =
  | { file: string; job: Job; error?: undefined }
  | { file: string; job?: undefined; error: DlpipeError };

/** Loads every job file in `dir` (not recursive), sorted by file name. */
export async function listJobs(dir: string, env?: Record<string, string | undefined>): Promise<JobEntry[]> {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new StorageError(
      `no jobs directory ${dir}; create it with job files (*.yaml) or pass --jobs <dir>`,
    );
  }
  const files = readdirSync(dir)
    .filter(
      (f) =>
        JOB_FILE_EXTENSIONS.includes(extname(f).toLowerCase()) &&
        !f.endsWith('.d.ts') &&
        !/\.test\.[mc]?[jt]s$/.test(f),
    )
    .sort();
  const out: JobEntry[] = [];
  const names = new Map<string, string>();
  for (const f of files) {
    const file = join(dir, f);
    try {
      const job = await loadJob(file, env);
      const clash = names.get(job.definition.name);
      if (clash)
        throw new JobFileError(file, [
          `name: '${job.definition.name}' is also the name of ${clash}; job names must be unique`,
        ]);
      names.set(job.definition.name, file);
      out.push({ file, job });
    } catch (err) {
      if (!(err instanceof DlpipeError)) throw err;
      out.push({ file, error: err });
    }
  }
  return out;
}

/** A job by file path, or by name among the files of `dir`. */
export async function findJob(
  ref: string,
  dir: string,
  env?: Record<string, string | undefined>,
): Promise<Job> {
  if (existsSync(ref) && statSync(ref).isFile()) return loadJob(ref, env);
  for (const ext of JOB_FILE_EXTENSIONS) {
    const file = join(dir, `${ref}${ext}`);
    if (existsSync(file)) return loadJob(file, env);
  }
  if (existsSync(dir)) {
    for (const entry of await listJobs(dir, env)) if (entry.job?.definition.name === ref) return entry.job;
  }
  throw new StorageError(
    `no job '${ref}': not a file, and no job of that name in ${dir}; list them with \`dlpipe-scrape jobs --jobs ${dir}\``,
  );
}
