/**
 * Loads dlpipe's native addon (packages/engine/native, oneDNN over N-API) and sets its threads.
 * The addon is built at install time; when it is absent, `loadNativeAddon` throws with the reason
 * the build recorded (native/build/status.json).
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { BackendError } from '../../errors.js';

/** Storage of float32, int32 and bool tensors, which the layout kernels move alike. */
export type LayoutArray = Float32Array | Int32Array | Uint8Array;

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
  /** `weightsId`: the filter tensor's data id (its reordered copy is kept by it), 0 if unknown. */
  conv2d(
    x: Float32Array,
    w: Float32Array,
    out: Float32Array,
    geom: number[],
    bias: Float32Array | null,
    activation: number,
    alpha: number,
    weightsId: number,
  ): void;
  conv2dBackpropInput(
    dy: Float32Array,
    w: Float32Array,
    dx: Float32Array,
    geom: number[],
    weightsId: number,
  ): void;
  conv2dBackpropFilter(x: Float32Array, dy: Float32Array, dw: Float32Array, geom: number[]): void;
  sgdUpdate(
    w: Float32Array,
    g: Float32Array,
    buf: Float32Array | null,
    outW: Float32Array,
    outBuf: Float32Array | null,
    params: number[],
  ): void;
  adamUpdate(
    w: Float32Array,
    g: Float32Array,
    m: Float32Array,
    v: Float32Array,
    outW: Float32Array,
    outM: Float32Array,
    outV: Float32Array,
    params: number[],
  ): void;
  // Pooling (native/src/pool.cc), NHWC; geom [N, IH, IW, C, OH, OW, KH, KW, SH, SW, PT, PL, PB, PR].
  maxPool(x: Float32Array, out: Float32Array, geom: number[]): void;
  avgPool(x: Float32Array, out: Float32Array, geom: number[]): void;
  maxPoolGrad(x: Float32Array, dy: Float32Array, dx: Float32Array, geom: number[]): void;
  avgPoolGrad(dy: Float32Array, dx: Float32Array, geom: number[]): void;
  // Batch norm over the last axis of C channels (native/src/batchnorm.cc).
  batchNorm(
    x: Float32Array,
    mean: Float32Array,
    variance: Float32Array,
    scale: Float32Array,
    offset: Float32Array,
    out: Float32Array,
    channels: number,
    varianceEpsilon: number,
  ): void;
  // Dropout's mask and product in one pass (dropout.cc).
  dropout(x: Float32Array, rate: number, seed: number, y: Float32Array, mask: Float32Array): void;
  // Layer norm over the last axis, forward and backward (layernorm.cc).
  layerNorm(
    x: Float32Array,
    gamma: Float32Array,
    beta: Float32Array,
    channels: number,
    eps: number,
    y: Float32Array,
    mean: Float32Array,
    rstd: Float32Array,
  ): void;
  layerNormGrad(
    dy: Float32Array,
    x: Float32Array,
    mean: Float32Array,
    rstd: Float32Array,
    gamma: Float32Array,
    channels: number,
    dx: Float32Array,
    dGamma: Float32Array,
    dBeta: Float32Array,
  ): void;
  // Σ of squares over several arrays (a global norm) and scaling several arrays (optim.cc).
  sumSquares(arrays: Float32Array[]): number;
  scaleMany(arrays: Float32Array[], outs: Float32Array[], scale: number): void;
  // A GRU layer (d2l's cell) over a whole sequence, time-major, gates z, r, h (gru-sequence.cc).
  gruSequence(
    xp: Float32Array,
    h0: Float32Array,
    wh: Float32Array,
    steps: number,
    batch: number,
    hidden: number,
    hs: Float32Array,
    gates: Float32Array,
  ): void;
  gruSequenceGrad(
    dhs: Float32Array,
    gates: Float32Array,
    hs: Float32Array,
    h0: Float32Array,
    wh: Float32Array,
    steps: number,
    batch: number,
    hidden: number,
    dxp: Float32Array,
    dh0: Float32Array,
    dwh: Float32Array,
  ): void;
  // An LSTM layer (d2l's cell) over a whole sequence, time-major, gates i, f, c, o (lstm-sequence.cc).
  lstmSequence(
    xp: Float32Array,
    h0: Float32Array,
    c0: Float32Array,
    wh: Float32Array,
    steps: number,
    batch: number,
    hidden: number,
    hs: Float32Array,
    cs: Float32Array,
    gates: Float32Array,
  ): void;
  lstmSequenceGrad(
    dhs: Float32Array,
    dcs: Float32Array,
    gates: Float32Array,
    hs: Float32Array,
    cs: Float32Array,
    h0: Float32Array,
    c0: Float32Array,
    wh: Float32Array,
    steps: number,
    batch: number,
    hidden: number,
    dxp: Float32Array,
    dh0: Float32Array,
    dc0: Float32Array,
    dwh: Float32Array,
  ): void;
  // Batch norm in training mode: batch statistics over all axes but the last (batchnorm-train.cc).
  batchNormTrain(
    x: Float32Array,
    scale: Float32Array | null,
    offset: Float32Array | null,
    channels: number,
    varianceEpsilon: number,
    y: Float32Array,
    mean: Float32Array,
    variance: Float32Array,
  ): void;
  batchNormTrainGrad(
    dy: Float32Array,
    x: Float32Array,
    mean: Float32Array,
    variance: Float32Array,
    scale: Float32Array | null,
    dMean: Float32Array | null,
    dVariance: Float32Array | null,
    channels: number,
    varianceEpsilon: number,
    dx: Float32Array,
    dScale: Float32Array,
    dOffset: Float32Array,
  ): void;
  batchNormGrad(
    dy: Float32Array,
    x: Float32Array,
    mean: Float32Array,
    variance: Float32Array,
    scale: Float32Array | null,
    channels: number,
    varianceEpsilon: number,
    dx: Float32Array,
    dMean: Float32Array,
    dVariance: Float32Array,
    dScale: Float32Array,
    dOffset: Float32Array,
  ): void;
  // Layout (native/src/layout.cc, gather.cc): any typed array, moved by element size.
  transpose(x: LayoutArray, out: LayoutArray, shape: number[], perm: number[]): void;
  tile(x: LayoutArray, out: LayoutArray, shape: number[], reps: number[]): void;
  concat(inputs: LayoutArray[], out: LayoutArray, outer: number, inners: number[]): void;
  stridedSlice(
    x: LayoutArray,
    out: LayoutArray,
    shape: number[],
    begin: number[],
    strides: number[],
    outShape: number[],
  ): void;
  pad(x: LayoutArray, out: LayoutArray, shape: number[], before: number[], outShape: number[]): void;
  /** -1, or the position of the first index outside [0, dimSize) (nothing written then). */
  gather(
    x: LayoutArray,
    indices: Int32Array,
    out: LayoutArray,
    outer: number,
    dimSize: number,
    inner: number,
  ): number;
  unsortedSegmentSum(
    x: Float32Array,
    ids: Int32Array,
    out: Float32Array,
    numSegments: number,
    inner: number,
  ): void;
  // Math (native/src/eltwise.cc, binary.cc, reduce.cc, softmax.cc): codes in kernels/math-codes.ts.
  unary(op: number, x: Float32Array, out: Float32Array, alpha: number): void;
  /** False (nothing written) for int32 → float32 of values beyond ±2^24. */
  cast(x: LayoutArray, out: LayoutArray): boolean;
  activationGrad(op: number, dy: Float32Array, xOrY: Float32Array, out: Float32Array, alpha: number): void;
  binary(
    op: number,
    a: LayoutArray,
    aShape: number[],
    b: LayoutArray,
    bShape: number[],
    out: LayoutArray,
    outShape: number[],
  ): void;
  select(condition: Uint8Array, t: LayoutArray, e: LayoutArray, out: LayoutArray): void;
  addN(xs: Float32Array[], out: Float32Array): void;
  reduce(op: number, x: LayoutArray, shape: number[], axes: number[], out: LayoutArray): void;
  argReduce(isMin: boolean, x: LayoutArray, shape: number[], axis: number, out: Int32Array): void;
  softmax(x: Float32Array, out: Float32Array, rows: number, cols: number, log: boolean): void;
  softmaxGrad(dy: Float32Array, y: Float32Array, out: Float32Array, rows: number, cols: number): void;
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
    throw new BackendError(`${why}; rebuild it with node packages/engine/native/build.mjs`);
  }
  // OpenMP threads sleep as soon as a parallel region ends. Spinning first (GOMP_SPINCOUNT=10000)
  // made the char-GRU LM's step 26.6 → 14.6 ms on an idle machine but 24 → 85–93 ms while another
  // process used the cores (a spinning thread holds a core the others need), so the default stays.
  process.env.OMP_WAIT_POLICY ??= 'PASSIVE';
  process.env.OMP_NUM_THREADS ??= String(nativeThreads());
  const require = createRequire(import.meta.url);
  addon = require(ADDON_PATH) as NativeAddon;
  addon.setThreads(nativeThreads());
  return addon;
}
