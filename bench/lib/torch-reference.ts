/**
 * PyTorch's numbers for the same models on this machine, from the project's own
 * bench/engine_torch.py (so a fresh clone reproduces the bench), run with Debian's Python in the
 * same benchmark run: compare ratios, not absolute times.
 *
 *   const ref = await runTorchReference({ repoRoot, quick: true });
 *   if (ref.ok) ref.result['lenet_b256']?.s;
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { runChild } from './child.js';

export const PYTHON = '/usr/bin/python3';
export const TORCH_MISSING = 'PyTorch reference not available (apt-get install python3-torch)';

/** One entry of the reference's RESULT: seconds per step (median), maybe GFLOP/s and memory. */
export interface TorchEntry {
  s: number;
  gflops?: number;
  train_flop?: number;
  /** Peak resident memory of the group's process after this entry ran, MB. */
  rss_mb?: number;
  /** Peak resident memory of that process before the group's tensors were made, MB. */
  base_rss_mb?: number;
}

/** The reference's groups, each run in its own process so that its peak memory is its own. */
export const TORCH_GROUPS = ['matmul', 'lenet', 'transformer', 'lm', 'resnet'] as const;

export type TorchResult = Record<string, TorchEntry | string | number | undefined> & {
  version?: string;
  threads?: number;
};

export type TorchReference =
  | { ok: true; result: TorchResult; script: string; wallS: number }
  | { ok: false; reason: string };

/** Options of `runTorchReference`. */
export interface TorchReferenceOptions {
  /** The dlpipe checkout; the script is `<repoRoot>/bench/engine_torch.py`. */
  repoRoot: string;
  /** Pass `--quick` through. */
  quick: boolean;
  /** Seconds before a group is killed (default 300). */
  budgetS?: number;
  /** Groups to run (default all). */
  groups?: readonly string[];
}

/** The reference script: the project's bench/engine_torch.py, nothing outside the checkout. */
export function torchScriptPath(repoRoot: string): string {
  return resolve(repoRoot, 'bench', 'engine_torch.py');
}

/** Whether the script and a Python that can `import torch` are there; the reason when not. */
export function torchMissingReason(script: string): string | undefined {
  if (!existsSync(script)) return `${TORCH_MISSING}: ${script} is missing`;
  if (!existsSync(PYTHON)) return `${TORCH_MISSING}: ${PYTHON} is missing`;
  const r = spawnSync(PYTHON, ['-c', 'import torch'], { stdio: 'ignore', timeout: 60_000 });
  return r.status === 0 ? undefined : `${TORCH_MISSING}: \`${PYTHON} -c "import torch"\` failed`;
}

export async function runTorchReference(options: TorchReferenceOptions): Promise<TorchReference> {
  const script = torchScriptPath(options.repoRoot);
  const missing = torchMissingReason(script);
  if (missing) return { ok: false, reason: missing };
  const budgetS = options.budgetS ?? 300;
  const result: TorchResult = {};
  let wallS = 0;
  for (const group of options.groups ?? TORCH_GROUPS) {
    const args = [script, '--only', group, ...(options.quick ? ['--quick'] : [])];
    const out = await runChild(PYTHON, args, { cwd: options.repoRoot, budgetS });
    if (out.timedOut) return { ok: false, reason: `PyTorch reference (${group}) timed out (> ${budgetS} s)` };
    if (!out.result) {
      return { ok: false, reason: `PyTorch reference (${group}) failed: ${out.error ?? 'no RESULT line'}` };
    }
    Object.assign(result, out.result as TorchResult);
    wallS += out.wallS;
  }
  return { ok: true, result, script, wallS };
}

/** One reference entry, if present. */
export function torchEntry(ref: TorchReference, key: string): TorchEntry | undefined {
  if (!ref.ok) return undefined;
  const entry = ref.result[key];
  return typeof entry === 'object' ? entry : undefined;
}

/** Seconds of one reference entry, if present. */
export function torchSeconds(ref: TorchReference, key: string): number | undefined {
  if (!ref.ok) return undefined;
  const entry = ref.result[key];
  return typeof entry === 'object' && typeof entry.s === 'number' ? entry.s : undefined;
}
