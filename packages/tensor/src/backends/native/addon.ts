/**
 * Loads dlpipe's native addon (packages/tensor/native, oneDNN over N-API) and sets its threads.
 * The addon is built at install time; when it is absent, `loadNativeAddon` throws with the reason
 * the build recorded (native/build/status.json).
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';

/** The addon's functions; each takes typed arrays (zero-copy) and writes into `out`. */
export interface NativeAddon {
  setThreads(n: number): number;
  info(): { onednn: string; threads: number; isa: number };
  batchMatMul(
    a: Float32Array,
    b: Float32Array,
    out: Float32Array,
    batchA: number,
    batchB: number,
    m: number,
    k: number,
    n: number,
    transposeA: boolean,
    transposeB: boolean,
    bias: Float32Array | null,
    activation: number,
    alpha: number,
  ): void;
  conv2d(
    x: Float32Array,
    w: Float32Array,
    out: Float32Array,
    geom: number[],
    bias: Float32Array | null,
    activation: number,
    alpha: number,
  ): void;
  conv2dBackpropInput(dy: Float32Array, w: Float32Array, dx: Float32Array, geom: number[]): void;
  conv2dBackpropFilter(x: Float32Array, dy: Float32Array, dw: Float32Array, geom: number[]): void;
  [kernel: string]: unknown;
}

const nativeDir = fileURLToPath(new URL('../../../native/', import.meta.url));
export const ADDON_PATH = `${nativeDir}build/Release/dlpipe_native.node`;
const STATUS_PATH = `${nativeDir}build/status.json`;

let addon: NativeAddon | undefined;

/** Threads for native kernels: DLPIPE_THREADS, else every core. */
export function nativeThreads(): number {
  const env = Number(process.env.DLPIPE_THREADS);
  return Number.isInteger(env) && env > 0 ? env : availableParallelism();
}

export function loadNativeAddon(): NativeAddon {
  if (addon) return addon;
  if (!existsSync(ADDON_PATH)) {
    let why = `the native addon is not built (${ADDON_PATH} is missing)`;
    if (existsSync(STATUS_PATH)) {
      const status = JSON.parse(readFileSync(STATUS_PATH, 'utf8')) as { ok: boolean; reason?: string };
      if (!status.ok && status.reason) why = `the native addon did not build at install: ${status.reason}`;
    }
    throw new Error(why);
  }
  // OpenMP threads must sleep between kernels, or they spin on the cores JS needs.
  process.env.OMP_WAIT_POLICY ??= 'PASSIVE';
  process.env.OMP_NUM_THREADS ??= String(nativeThreads());
  const require = createRequire(import.meta.url);
  addon = require(ADDON_PATH) as NativeAddon;
  addon.setThreads(nativeThreads());
  return addon;
}
