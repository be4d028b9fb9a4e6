/**
 * A fused gradient for tfjs's FusedBatchNorm (`tf.batchNorm`, and so `tf.layers.batchNormalization`):
 * tfjs's own gradient spends a dozen kernels (Sub, Mul, Rsqrt, Tile, Sum …) per batch-norm; the
 * kernel `DlpipeBatchNormGrad` computes all five partial derivatives in one pass, with mean and
 * variance as independent inputs exactly as tfjs's gradient treats them.
 *
 *   registerBatchNormGrad(nativeKernel);   // once, when the native backend registers
 *   tf.grads((x) => tf.batchNorm(x, mean, variance, offset, scale, 1e-3).sum())([x]);  // one kernel
 *
 * The gradient registry is global, so the kernel also exists for 'cpu' and 'wasm' (in plain JS,
 * below) and the override uses tfjs's original gradient on any other backend and for shapes it
 * does not cover (statistics of rank ≠ 1, per-element statistics, x of rank ≠ 4).
 */
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { BackendError } from '../../../errors.js';
import { inputsOf } from '../../../kernel-args.js';
import * as tf from '../../../tf.js';
import type { KernelArgs, TensorInfo } from './util.js';

export const BATCH_NORM_GRAD = 'DlpipeBatchNormGrad';

/** The five gradients of y = (x − mean)·scale/√(variance + ε) + offset, over the last axis. */
export interface BatchNormGrads {
  dx: Float32Array;
  dMean: Float32Array;
  dVariance: Float32Array;
  dScale: Float32Array;
  dOffset: Float32Array;
}

/** The reference computation (per-channel sums in float64, as tfjs's cpu Sum). */
export function batchNormGradJs(
  dy: ArrayLike<number>,
  x: ArrayLike<number>,
  mean: ArrayLike<number>,
  variance: ArrayLike<number>,
  scale: ArrayLike<number> | undefined,
  eps: number,
): BatchNormGrads {
  const c = mean.length;
  const r = Float64Array.from(variance, (v) => 1 / Math.sqrt(v + eps));
  const s = scale ? Float64Array.from(scale) : new Float64Array(c).fill(1);
  const sumDy = new Float64Array(c);
  const sumDyXm = new Float64Array(c);
  const dx = new Float32Array(dy.length);
  for (let i = 0; i < dy.length; i++) {
    const ch = i % c;
    const g = dy[i]!;
    sumDy[ch]! += g;
    sumDyXm[ch]! += g * (x[i]! - mean[ch]!);
    dx[i] = g * s[ch]! * r[ch]!;
  }
  return {
    dx,
    dMean: Float32Array.from(sumDy, (v, ch) => -v * s[ch]! * r[ch]!),
    dVariance: Float32Array.from(sumDyXm, (v, ch) => -0.5 * r[ch]! ** 3 * s[ch]! * v),
    dScale: Float32Array.from(sumDyXm, (v, ch) => v * r[ch]!),
    dOffset: Float32Array.from(sumDy),
  };
}

/** The kernel's inputs (scale absent: 1). */
export interface GradInputs {
  dy: TensorInfo;
  x: TensorInfo;
  mean: TensorInfo;
  variance: TensorInfo;
  scale?: TensorInfo;
}

/** Output shapes of the kernel: dx like x, the rest like mean. */
export function gradShapes(inputs: GradInputs): number[][] {
  return [inputs.x.shape, ...Array.from({ length: 4 }, () => inputs.mean.shape)];
}

function order(g: BatchNormGrads): Float32Array[] {
  return [g.dx, g.dMean, g.dVariance, g.dScale, g.dOffset];
}

/** `DlpipeBatchNormGrad` for a backend with `readSync`, given how it makes a float32 output. */
function jsKernel(make: (args: KernelArgs, shape: number[], v: Float32Array) => TensorInfo): tf.KernelFunc {
  return (args) => {
    const backend = args.backend as { readSync(id: tf.DataId): unknown };
    const inputs = inputsOf<GradInputs>(args.inputs);
    const read = (t: TensorInfo) => backend.readSync(t.dataId) as tf.TypedArray;
    const { varianceEpsilon } = args.attrs as { varianceEpsilon: number };
    const g = batchNormGradJs(
      read(inputs.dy),
      read(inputs.x),
      read(inputs.mean),
      read(inputs.variance),
      inputs.scale ? read(inputs.scale) : undefined,
      varianceEpsilon,
    );
    const shapes = gradShapes(inputs);
    return order(g).map((v, i) => make(args, shapes[i]!, v));
  };
}

const JS_KERNELS: Record<string, tf.KernelFunc> = {
  cpu: jsKernel((args, shape, v) => (args.backend as MathBackendCPU).makeTensorInfo(shape, 'float32', v)),
  wasm: jsKernel((args, shape, v) =>
    (args.backend as BackendWasm).makeOutput(shape, 'float32', undefined, v),
  ),
};

/** Whether the fused gradient covers these saved tensors (else tfjs's own gradient runs). */
export function fusable(
  x: tf.Tensor,
  mean: tf.Tensor,
  variance: tf.Tensor,
  scale: tf.Tensor | undefined,
): boolean {
  const c = x.shape[x.rank - 1];
  const perChannel = (t: tf.Tensor) => t.rank === 1 && t.shape[0] === c && t.dtype === 'float32';
  return (
    x.rank === 4 &&
    x.dtype === 'float32' &&
    perChannel(mean) &&
    perChannel(variance) &&
    (!scale || perChannel(scale))
  );
}

let original: tf.GradConfig | undefined;

/** tfjs's own FusedBatchNorm gradient, once `registerBatchNormGrad` has replaced it (for tests). */
export function tfjsBatchNormGrad(): tf.GradConfig | undefined {
  return original;
}

/**
 * Registers `DlpipeBatchNormGrad` for 'native' (the given kernel), 'cpu' and 'wasm', and routes
 * FusedBatchNorm's gradient through it. Idempotent.
 */
export function registerBatchNormGrad(): void {
  for (const [backendName, kernelFunc] of Object.entries(JS_KERNELS)) {
    if (!tf.getKernel(BATCH_NORM_GRAD, backendName))
      tf.registerKernel({ kernelName: BATCH_NORM_GRAD, backendName, kernelFunc });
  }
  if (original) return;
  original = tf.getGradient(tf.FusedBatchNorm);
  if (!original)
    throw new BackendError(
      `tfjs has no gradient for ${tf.FusedBatchNorm} to replace; reinstall the pinned @tensorflow/tfjs-core (pnpm install)`,
      { exitCode: 1 },
    );
  const tfjsGrad = original.gradFunc;
  tf.registerGradient({
    kernelName: tf.FusedBatchNorm,
    inputsToSave: ['x', 'mean', 'variance', 'scale'],
    gradFunc: (dy, saved, attrs) => {
      const [x, mean, variance, scale] = saved as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor | undefined];
      if (!fusable(x, mean, variance, scale) || !tf.getKernel(BATCH_NORM_GRAD, tf.getBackend())) {
        return tfjsGrad(dy, saved, attrs);
      }
      const inputs: tf.NamedTensorMap = { dy: dy as tf.Tensor, x, mean, variance };
      if (scale) inputs.scale = scale;
      const outs = tf.engine().runKernel(BATCH_NORM_GRAD, inputs, attrs) as tf.Tensor[];
      const [dx, dMean, dVariance, dScale, dOffset] = outs as [
        tf.Tensor,
        tf.Tensor,
        tf.Tensor,
        tf.Tensor,
        tf.Tensor,
      ];
      return {
        x: () => dx,
        mean: () => dMean,
        variance: () => dVariance,
        scale: () => dScale,
        offset: () => dOffset,
      };
    },
  });
}
