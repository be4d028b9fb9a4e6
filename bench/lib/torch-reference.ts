/**
 * PyTorch's numbers for the same models on this machine, from the project's own
 * bench/engine_torch.py (so a fresh clone reproduces the bench), run with Debian's Python in the
 * same benchmark run: compare ratios, not absolute times.
 *
 *   const torch = new TorchReferenceRuns({ repoRoot, quick: true });
 *   const ref = await torch.ensure('lenet');
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
export type TorchGroup = (typeof TORCH_GROUPS)[number];

export type TorchResult = Record<string, TorchEntry | string | number | undefined> & {
  version?: string;
  threads?: number;
};

export type TorchReference =
  | { ok: true; result: TorchResult; script: string; wallS: number }
  | { ok: false; reason: string };

/** Options of `TorchReferenceRuns`. */
export interface TorchReferenceOptions {
  /** The dlpipe checkout; the script is `<repoRoot>/bench/engine_torch.py`. */
  repoRoot: string;
  /** Pass `--quick` through. */
  quick: boolean;
  /** Seconds before a group is killed (default 300). */
  budgetS?: number;
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

/**
 * The reference run group by group, each once and when first needed, so that PyTorch measures a
 * model just before dlpipe does and both see the machine in the same state (its load drifts over
 * minutes; two numbers a minute apart compared worse than two seconds apart).
 *
 *   const torch = new TorchReferenceRuns({ repoRoot, quick: false });
 *   const ref = await torch.ensure('lenet');   // runs the lenet group unless it ran already
 */
export class TorchReferenceRuns {
  private readonly done = new Set<TorchGroup>();
  private reference: TorchReference;

  constructor(private readonly options: TorchReferenceOptions) {
    const script = torchScriptPath(options.repoRoot);
    const missing = torchMissingReason(script);
    this.reference = missing ? { ok: false, reason: missing } : { ok: true, result: {}, script, wallS: 0 };
  }

  /** The results so far (every group that ran), or why there are none. */
  get ref(): TorchReference {
    return this.reference;
  }

  /** Whether `group` ran (or was tried). */
  ran(group: TorchGroup): boolean {
    return this.done.has(group);
  }

  /** Runs `group` unless it ran already; a failed group ends the reference for the whole run. */
  async ensure(group: TorchGroup): Promise<TorchReference> {
    const ref = this.reference;
    if (!ref.ok || this.done.has(group)) return ref;
    this.done.add(group);
    const budgetS = this.options.budgetS ?? 300;
    const args = [ref.script, '--only', group, ...(this.options.quick ? ['--quick'] : [])];
    const out = await runChild(PYTHON, args, { cwd: this.options.repoRoot, budgetS });
    if (out.timedOut) {
      this.reference = { ok: false, reason: `PyTorch reference (${group}) timed out (> ${budgetS} s)` };
    } else if (!out.result) {
      this.reference = {
        ok: false,
        reason: `PyTorch reference (${group}) failed: ${out.error ?? 'no RESULT line'}`,
      };
    } else {
      Object.assign(ref.result, out.result as TorchResult);
      ref.wallS += out.wallS;
    }
    return this.reference;
  }
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
