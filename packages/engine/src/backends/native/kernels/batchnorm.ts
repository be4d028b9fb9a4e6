/**
 * FusedBatchNorm (`tf.batchNorm`) on the native addon, for statistics and affine parameters of one
 * value per channel (the last axis) or a single value, and the fused gradient kernel
 * `DlpipeBatchNormGrad` (see batchnorm-grad.ts). Per-element statistics and other dtypes run the
 * cpu kernels.
 *
 *   tf.batchNorm(x, mean, variance, offset, scale, 1e-5);   // → addon.batchNorm(…, C, 1e-5)
 */
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { inputsOf } from '../../../kernel-args.js';
import * as tf from '../../../tf.js';
import type { NativeAddon } from '../addon.js';
import { BATCH_NORM_GRAD, type GradInputs, gradShapes, registerBatchNormGrad } from './batchnorm-grad.js';
import {
  f32,
  fallback,
  type KernelArgs,
  outArray,
  output,
  type TensorInfo,
  whyNotF32,
  zeroArray,
} from './util.js';

/** `t`'s values as C per-channel values (a single value repeated), or undefined. */
function perChannel(backend: MathBackendCPU, t: TensorInfo | undefined, c: number, absent: number) {
  if (!t) return new Float32Array(c).fill(absent);
  const v = f32(backend, t);
  if (!v || (v.length !== c && v.length !== 1)) return undefined;
  return v.length === c ? v : new Float32Array(c).fill(v[0]!);
}

type Quintuple = [Float32Array, Float32Array, Float32Array, Float32Array, Float32Array];

export function batchNormKernels(addon: NativeAddon): Record<string, tf.KernelFunc> {
  registerBatchNormGrad();

  const forward = (args: KernelArgs) => {
    const backend = args.backend as MathBackendCPU;
    const { x, mean, variance, scale, offset } = args.inputs as Record<string, TensorInfo | undefined>;
    const eps = (args.attrs as { varianceEpsilon?: number }).varianceEpsilon ?? 0.001;
    const xv = f32(backend, x!);
    const c = x!.shape[x!.shape.length - 1] ?? 0;
    if (!xv) return fallback(tf.FusedBatchNorm, args, whyNotF32(x));
    if (c === 0 || !mean || !variance) return fallback(tf.FusedBatchNorm, args, c === 0 ? 'empty' : 'attr');
    const params = [
      perChannel(backend, mean, c, 0),
      perChannel(backend, variance, c, 1),
      perChannel(backend, scale, c, 1),
      perChannel(backend, offset, c, 0),
    ];
    const [m, v, s, o] = params;
    if (!m || !v || !s || !o || mean.shape.length !== variance.shape.length)
      return fallback(tf.FusedBatchNorm, args, 'shape');
    const out = outArray(backend, xv.length);
    if (out.length > 0) addon.batchNorm(xv, m, v, s, o, out, c, eps);
    return output(backend, [...x!.shape], out);
  };

  const grad = (args: KernelArgs) => {
    const backend = args.backend as MathBackendCPU;
    const inputs = inputsOf<GradInputs>(args.inputs);
    const { varianceEpsilon } = args.attrs as { varianceEpsilon: number };
    const [dyv, xv, mv, vv] = [inputs.dy, inputs.x, inputs.mean, inputs.variance].map((t) => f32(backend, t));
    const sv = inputs.scale ? f32(backend, inputs.scale) : null;
    const c = mv?.length ?? 0;
    const sameSizes = vv?.length === c && (sv === null || sv?.length === c) && dyv?.length === xv?.length;
    if (!dyv || !xv || !mv || !vv || sv === undefined || !sameSizes || c === 0 || xv.length % c !== 0) {
      const { dy, x, mean, variance, scale } = inputs;
      const typed = !dyv || !xv || !mv || !vv || sv === undefined;
      return fallback(BATCH_NORM_GRAD, args, typed ? whyNotF32(dy, x, mean, variance, scale) : 'shape');
    }
    // zeroed: a reused array must read as a fresh one wherever the kernel adds rather than writes
    const outs = gradShapes(inputs).map((shape) => zeroArray(backend, tf.util.sizeFromShape(shape)));
    const [dx, dMean, dVariance, dScale, dOffset] = outs as Quintuple;
    if (dx.length > 0) {
      addon.batchNormGrad(dyv, xv, mv, vv, sv, c, varianceEpsilon, dx, dMean, dVariance, dScale, dOffset);
    }
    return gradShapes(inputs).map((shape, i) => output(backend, shape, outs[i]!));
  };

  return { [tf.FusedBatchNorm]: forward, [BATCH_NORM_GRAD]: grad };
}
