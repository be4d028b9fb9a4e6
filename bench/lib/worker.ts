/**
 * Runs one of the bench's worker scripts (bench/*-worker.ts) under tsx in its own Node process,
 * from the repository root, so each measurement starts from a fresh heap.
 *
 *   const r = await runWorker('data-worker.ts', ['read', file], { budgetS: 60, env: { DLPIPE_QUIET: '1' } });
 */
import { fileURLToPath } from 'node:url';
import { type ChildOutcome, type RunChildOptions, runChild } from './child.js';

/** The repository root (the workers' working directory). */
export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Options of `runWorker`: those of `runChild` but the working directory, plus Node flags. */
export interface RunWorkerOptions extends Omit<RunChildOptions, 'cwd'> {
  /** Flags for Node before the script (e.g. `--max-old-space-size=512`). Default none. */
  nodeFlags?: string[];
}

/** Runs bench/`script` with `args` and collects its `KIND {json}` lines (see child.ts). */
export function runWorker(script: string, args: string[], options: RunWorkerOptions): Promise<ChildOutcome> {
  const { nodeFlags = [], ...childOptions } = options;
  const path = fileURLToPath(new URL(`../${script}`, import.meta.url));
  return runChild(process.execPath, [...nodeFlags, '--import', 'tsx', path, ...args], {
    ...childOptions,
    cwd: REPO_ROOT,
  });
}
