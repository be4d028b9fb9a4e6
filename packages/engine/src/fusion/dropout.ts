/**
 * `tf.dropout` as one native kernel each way (`DlpipeDropout`, then dy·mask) instead of tfjs's
 * uniform draws in JavaScript and five kernels: on a [64, 10, 32] activation 720 µs → tens of µs,
 * 18 calls per step of the d2l Transformer's training. Same signature and semantics as tfjs's
 * (each element kept with probability 1 − rate and scaled by 1/(1 − rate)); without a seed the
 * mask's seed comes from `Math.random`, which dlpipe's `setSeed` makes reproducible. A noise
 * shape other than x's, non-float32 input, a backend without the kernel (wasm) or
 * `setOpFusion(false)` runs tfjs's dropout. The masks differ from tfjs's for the same seed
 * (another generator), and are the same on the native and cpu backends: the cpu backend gets a
 * JavaScript twin of the kernel (`dropoutMask`, the same 32-bit hash as dropout.cc).
 *
 *   const y = tf.dropout(x, 0.1);   // one kernel on the native backend
 */
import * as tfc from '@tensorflow/tfjs';
import { DROPOUT } from '../backends/native/kernels/fused-names.js';
import { opFusionEnabled } from './moments-batch-norm.js';

/** Wellons' lowbias32 integer hash (dropout.cc's `LowBias32`), in 32-bit JavaScript arithmetic. */
function lowBias32(v: number): number {
  let x = v >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d) >>> 0;
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b) >>> 0;
  x ^= x >>> 16;
  return x >>> 0;
}

/**
 * The mask of `DlpipeDropout` for n elements: 1/(1−rate) (as float32) where the element's 24-bit
 * uniform is ≥ rate·2^24, else 0 — bit for bit what the native kernel computes.
 */
export function dropoutMask(n: number, rate: number, seed: number): Float32Array {
  const s = lowBias32(seed);
  const threshold = Math.floor(rate * 16777216);
  const scale = Math.fround(1 / (1 - rate));
  const mask = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const u = lowBias32((s + Math.imul(i, 0x9e3779b9)) >>> 0) >>> 8;
    mask[i] = u >= threshold ? scale : 0;
  }
  return mask;
}

let registered = false;

/** The gradient of `DlpipeDropout` (dy·mask) and its cpu-backend kernel (global; idempotent). */
export function registerDropoutGrad(): void {
  if (registered) return;
  registered = true;
  tfc.registerGradient({
    kernelName: DROPOUT,
    outputsToSave: [false, true],
    gradFunc: (dys, saved) => {
      const [mask] = saved as tfc.Tensor[];
      const [dy] = (Array.isArray(dys) ? dys : [dys]) as tfc.Tensor[];
      return { x: () => tfc.mul(dy!, mask!) };
    },
  });
  tfc.registerKernel({
    kernelName: DROPOUT,
    backendName: 'cpu',
    kernelFunc: ({ inputs, attrs, backend }) => {
      const cpu = backend as unknown as {
        data: { get(id: object): { values: unknown } };
        makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): tfc.TensorInfo;
      };
      const x = (inputs as Record<string, tfc.TensorInfo>).x!;
      const { rate, seed } = attrs as unknown as { rate: number; seed: number };
      const xv = cpu.data.get(x.dataId).values as Float32Array;
      const mask = dropoutMask(xv.length, rate, seed);
      const y = new Float32Array(xv.length);
      for (let i = 0; i < y.length; i++) y[i] = xv[i]! * mask[i]!;
      return [
        cpu.makeTensorInfo([...x.shape], 'float32', y),
        cpu.makeTensorInfo([...x.shape], 'float32', mask),
      ];
    },
  });
}

registerDropoutGrad();

/** A 32-bit seed from tfjs's seed argument (a number or a string), or from Math.random. */
function seedOf(seed: number | string | undefined): number {
  if (typeof seed === 'number' && Number.isFinite(seed)) return Math.abs(Math.trunc(seed)) % 2 ** 32;
  if (typeof seed === 'string') {
    let h = 2166136261;
    for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 16777619) >>> 0;
    return h;
  }
  return Math.floor(Math.random() * 2 ** 32);
}

/** tfjs's `dropout`, fused on the native backend; see the file header. */
export function dropout(
  x: tfc.Tensor | tfc.TensorLike,
  rate: number,
  noiseShape?: number[],
  seed?: number | string,
): tfc.Tensor {
  const fusable =
    opFusionEnabled() &&
    x instanceof tfc.Tensor &&
    x.dtype === 'float32' &&
    x.size > 0 &&
    rate > 0 &&
    rate < 1 &&
    (noiseShape == null || tfc.util.arraysEqual(noiseShape, x.shape)) &&
    tfc.getKernel(DROPOUT, tfc.getBackend()) !== undefined;
  if (!fusable) return tfc.dropout(x, rate, noiseShape, seed);
  return tfc.tidy(() => {
    const [y] = tfc.engine().runKernel(DROPOUT, { x }, { rate, seed: seedOf(seed) }) as tfc.Tensor[];
    return y!;
  });
}
