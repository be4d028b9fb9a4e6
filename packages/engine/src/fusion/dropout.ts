/**
 * `tf.dropout` as one native kernel each way (`DlpipeDropout`, then dy·mask) instead of tfjs's
 * uniform draws in JavaScript and five kernels: on a [64, 10, 32] activation 720 µs → tens of µs,
 * 18 calls per step of the d2l Transformer's training. Same signature and semantics as tfjs's
 * (each element kept with probability 1 − rate and scaled by 1/(1 − rate)); without a seed the
 * mask's seed comes from `Math.random`, which dlpipe's `setSeed` makes reproducible. A noise
 * shape other than x's, non-float32 input, a backend without the kernel or `setOpFusion(false)`
 * runs tfjs's dropout. The masks differ from tfjs's for the same seed (another generator).
 *
 *   const y = tf.dropout(x, 0.1);   // one kernel on the native backend
 */
import * as tfc from '@tensorflow/tfjs';
import { DROPOUT } from '../backends/native/kernels/fused-names.js';
import { opFusionEnabled } from './moments-batch-norm.js';

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
