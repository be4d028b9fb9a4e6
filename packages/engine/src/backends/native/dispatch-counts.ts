/**
 * Dispatch counters of the native backend: per kernel name, how many calls ran native code, how
 * many a native kernel handed to tfjs's cpu kernel (a fallback, with a short reason code), and how
 * many went to kernels that have no native version at all (cpu). Always on: one closure call and
 * one increment per dispatch (about 10 ns next to tfjs's ~20 µs of dispatch per kernel).
 *
 *   resetDispatchCounts();
 *   tf.matMul(a, b).dataSync();
 *   dispatchCounts().BatchMatMul;   // { native: 1, fallback: 0, cpu: 0, reasons: {} }
 *   dispatchTotals();               // { native: 1, fallback: 0, cpu: 1, … } over every kernel
 *
 * Counted on the `native` backend only (its kernels are registered through `countedNative` and
 * `countedCpu`); the cpu, wasm and other backends are not counted.
 */
import type * as tf from '../../tf.js';

/** Why a native kernel handed a call to the cpu kernel. */
export const FALLBACK_REASONS = {
  /** An input or output dtype the native kernel does not take (int32 matmul, bool reductions). */
  dtype: 'dtype',
  /** Values not in a plain typed array the addon can read (complex, string, wrong length). */
  storage: 'storage',
  /** Batch or broadcast shapes the native kernel does not express (general batch broadcasting). */
  broadcast: 'broadcast',
  /** Geometry oneDNN cannot express (negative padding, odd sizes, rank 0). */
  shape: 'shape',
  /** A zero-size tensor (tfjs defines the empty results). */
  empty: 'empty',
  /** An attribute or optional input the native kernel lacks (prelu weights, a bias of the wrong size, another axis). */
  attr: 'attr',
  /** The cpu kernel shares storage instead of copying (a reshape-only transpose, a contiguous slice). */
  noCopy: 'no-copy',
  /** Left to the cpu kernel so that tfjs raises its own error (an out-of-range index). */
  tfjsError: 'tfjs-error',
} as const;
export type FallbackReason = (typeof FALLBACK_REASONS)[keyof typeof FALLBACK_REASONS];

/** The counts of one kernel. */
export interface KernelDispatchCount {
  /** Calls that ran the native kernel's own code. */
  native: number;
  /** Calls a native kernel handed to tfjs's cpu kernel (or to its JS twin). */
  fallback: number;
  /** Calls of a kernel with no native version (tfjs's cpu kernel, registered as is). */
  cpu: number;
  /** Fallbacks by reason. */
  reasons: Partial<Record<FallbackReason, number>>;
}

export type DispatchCounts = Record<string, KernelDispatchCount>;

const counters = new Map<string, KernelDispatchCount>();

function counter(kernelName: string): KernelDispatchCount {
  let c = counters.get(kernelName);
  if (!c) {
    c = { native: 0, fallback: 0, cpu: 0, reasons: {} };
    counters.set(kernelName, c);
  }
  return c;
}

/** The reason of the first fallback inside the kernel call now running (one per nesting level). */
let pending: FallbackReason | undefined;

/** Records that the kernel now running hands this call to the cpu kernel (kernels/util.ts's `fallback`). */
export function noteFallback(reason: FallbackReason): void {
  pending ??= reason;
}

/** Read through a call: TypeScript keeps `pending` narrowed to undefined across `kernelFunc(args)`. */
function pendingReason(): FallbackReason | undefined {
  return pending;
}

/** Wraps a native kernel so that each call counts as native, or as a fallback when it calls `noteFallback`. */
export function countedNative(kernelName: string, kernelFunc: tf.KernelFunc): tf.KernelFunc {
  const c = counter(kernelName);
  return (args) => {
    const outer = pending;
    pending = undefined;
    try {
      return kernelFunc(args);
    } finally {
      const reason = pendingReason();
      if (reason === undefined) c.native++;
      else {
        c.fallback++;
        c.reasons[reason] = (c.reasons[reason] ?? 0) + 1;
      }
      pending = outer;
    }
  };
}

/** Wraps a kernel without a native version so that each call counts as cpu. */
export function countedCpu(kernelName: string, kernelFunc: tf.KernelFunc): tf.KernelFunc {
  const c = counter(kernelName);
  return (args) => {
    c.cpu++;
    return kernelFunc(args);
  };
}

/** A copy of the counts since the last reset, of every kernel dispatched at least once. */
export function dispatchCounts(): DispatchCounts {
  const out: DispatchCounts = {};
  for (const [name, c] of counters) {
    if (c.native + c.fallback + c.cpu > 0) out[name] = { ...c, reasons: { ...c.reasons } };
  }
  return out;
}

/** Sets every count to zero. */
export function resetDispatchCounts(): void {
  for (const c of counters.values()) {
    c.native = 0;
    c.fallback = 0;
    c.cpu = 0;
    c.reasons = {};
  }
}

/** `after − before`, per kernel, leaving out kernels with no dispatch in between. */
export function diffDispatchCounts(after: DispatchCounts, before: DispatchCounts): DispatchCounts {
  const out: DispatchCounts = {};
  for (const [name, a] of Object.entries(after)) {
    const b = before[name];
    const reasons: KernelDispatchCount['reasons'] = {};
    for (const [r, n] of Object.entries(a.reasons) as Array<[FallbackReason, number]>) {
      const d = n - (b?.reasons[r] ?? 0);
      if (d > 0) reasons[r] = d;
    }
    const d = {
      native: a.native - (b?.native ?? 0),
      fallback: a.fallback - (b?.fallback ?? 0),
      cpu: a.cpu - (b?.cpu ?? 0),
      reasons,
    };
    if (d.native + d.fallback + d.cpu > 0) out[name] = d;
  }
  return out;
}

/** Total dispatches by path over every kernel of `counts` (default: the current counts). */
export function dispatchTotals(counts: DispatchCounts = dispatchCounts()): {
  native: number;
  fallback: number;
  cpu: number;
  all: number;
} {
  let native = 0;
  let fallback = 0;
  let cpu = 0;
  for (const c of Object.values(counts)) {
    native += c.native;
    fallback += c.fallback;
    cpu += c.cpu;
  }
  return { native, fallback, cpu, all: native + fallback + cpu };
}
