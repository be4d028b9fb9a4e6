/**
 * Batch norm written with plain ops gets the fused kernels too: `tf.moments(x, axes)` over every
 * axis but the channels (the last), followed by `tf.batchNorm(x, mean, variance, offset, scale,
 * eps)` on the same `x`, runs as PyTorch's `native_batch_norm` does — one kernel forward
 * (`DlpipeBatchNormTrain`) and one backward (`DlpipeBatchNormTrainGrad`) — instead of about
 * 25 kernels (moments' mean, subtract, square, mean; batchNorm's kernel and tfjs's gradient,
 * which differentiates through the statistics again).
 *
 * How: `moments` computes the statistics with the fused kernel (its gradient covers the
 * statistics' own uses) and remembers which tensor they describe; `batchNorm` given exactly
 * that pair on that tensor runs the fused training step, whose gradient is the whole batch-norm
 * backward through the batch statistics. So the gradient is exact however the statistics are
 * used elsewhere (a running-average update, a loss term). Anything else — other axes, other
 * statistics, non-float32, a backend without the kernels, `setOpFusion(false)` or
 * `DLPIPE_OP_FUSION=0` — runs tfjs's own ops, unchanged.
 *
 *   const { mean, variance } = tf.moments(x, [0, 1, 2]);          // x [N, H, W, C]
 *   const y = tf.batchNorm(x, mean, variance, beta, gamma, 1e-5);   // fused on the native backend
 */
import * as tfc from '@tensorflow/tfjs';
import { BATCH_NORM_TRAIN } from '../backends/native/kernels/fused-names.js';

/** Statistics `moments` made, by their mean tensor: the input they describe and the variance beside it. */
const momentsOf = new WeakMap<tfc.Tensor, { x: tfc.Tensor; variance: tfc.Tensor }>();

/** On unless the environment says `DLPIPE_OP_FUSION=0` (to measure or compare without it). */
let fusionOn = process.env.DLPIPE_OP_FUSION !== '0';

/**
 * Turns the op-level fusions (moments → batchNorm) on or off; returns the previous setting. Off,
 * every op runs tfjs's own implementation (for comparisons: same loss curve fused and unfused).
 */
export function setOpFusion(on: boolean): boolean {
  const was = fusionOn;
  fusionOn = on;
  return was;
}

/** Whether op-level fusions are on (`setOpFusion`); sequence ops such as `gruSequence` follow it too. */
export function opFusionEnabled(): boolean {
  return fusionOn;
}

function fusedKernelHere(): boolean {
  return tfc.getKernel(BATCH_NORM_TRAIN, tfc.getBackend()) !== undefined;
}

/** Whether `axis` names exactly the axes 0 … rank−2 (any order, negative allowed). */
function allButChannels(axis: number | number[] | null | undefined, rank: number): boolean {
  if (axis === null || axis === undefined) return false;
  const axes = (Array.isArray(axis) ? axis : [axis]).map((a) => (a < 0 ? a + rank : a));
  const set = new Set(axes);
  if (set.size !== axes.length || set.size !== rank - 1) return false;
  for (let a = 0; a < rank - 1; a++) if (!set.has(a)) return false;
  return true;
}

function fusable(x: unknown): x is tfc.Tensor {
  return (
    fusionOn &&
    x instanceof tfc.Tensor &&
    x.dtype === 'float32' &&
    x.rank >= 2 &&
    x.size > 0 &&
    (x.shape[x.rank - 1] ?? 0) > 0 &&
    fusedKernelHere()
  );
}

/**
 * tfjs's `moments` (mean and biased variance over `axis`); over every axis but the last, on a
 * backend with the fused kernel, one kernel computes both and `batchNorm` can recognise them.
 */
export function moments(
  x: tfc.Tensor | tfc.TensorLike,
  axis?: number | number[] | null,
  keepDims = false,
): { mean: tfc.Tensor; variance: tfc.Tensor } {
  if (!fusable(x) || !allButChannels(axis, x.rank)) return tfc.moments(x, axis ?? undefined, keepDims);
  const c = x.shape[x.rank - 1] ?? 0;
  const stats = tfc.tidy(() => {
    const [y, mean, variance] = tfc
      .engine()
      .runKernel(
        BATCH_NORM_TRAIN,
        { x, scale: tfc.ones([c]), offset: tfc.zeros([c]) },
        { varianceEpsilon: 1e-5 },
      ) as tfc.Tensor[];
    y!.dispose();
    if (!keepDims) return { mean: mean!, variance: variance! };
    const shape = [...x.shape.slice(0, -1).map(() => 1), c];
    return { mean: tfc.reshape(mean!, shape), variance: tfc.reshape(variance!, shape) };
  });
  momentsOf.set(stats.mean, { x, variance: stats.variance });
  return stats;
}

/** `t` as C per-channel values that keep `t`'s gradient, `fill` when absent, undefined when not per-channel. */
function perChannel(
  t: tfc.Tensor | tfc.TensorLike | undefined,
  c: number,
  fill: number,
): tfc.Tensor1D | undefined {
  if (t === undefined || t === null) return tfc.fill([c], fill) as tfc.Tensor1D;
  if (!(t instanceof tfc.Tensor) || t.dtype !== 'float32') return undefined;
  if (t.size === c && t.shape[t.rank - 1] === c) return tfc.reshape(t, [c]);
  if (t.size === 1) return tfc.mul(tfc.ones([c]), tfc.reshape(t, [])) as tfc.Tensor1D;
  return undefined;
}

/**
 * tfjs's `batchNorm`; given the statistics `moments` just computed on this same `x` over every
 * axis but the channels, batch norm's fused training step (see the file header).
 */
export function batchNorm<R extends tfc.Rank>(
  x: tfc.Tensor<R> | tfc.TensorLike,
  mean: tfc.Tensor<R> | tfc.Tensor1D | tfc.TensorLike,
  variance: tfc.Tensor<R> | tfc.Tensor1D | tfc.TensorLike,
  offset?: tfc.Tensor<R> | tfc.Tensor1D | tfc.TensorLike,
  scale?: tfc.Tensor<R> | tfc.Tensor1D | tfc.TensorLike,
  varianceEpsilon?: number,
): tfc.Tensor<R> {
  const origin = mean instanceof tfc.Tensor ? momentsOf.get(mean) : undefined;
  if (origin && origin.x === x && origin.variance === variance && fusable(x) && !x.isDisposed) {
    const c = x.shape[x.rank - 1] ?? 0;
    const y = tfc.tidy(() => {
      const s = perChannel(scale, c, 1);
      const o = perChannel(offset, c, 0);
      if (!s || !o) return undefined;
      const [out] = tfc
        .engine()
        .runKernel(
          BATCH_NORM_TRAIN,
          { x, scale: s, offset: o },
          { varianceEpsilon: varianceEpsilon ?? 0.001 },
        ) as tfc.Tensor[];
      return out;
    });
    if (y) return y as tfc.Tensor<R>;
  }
  if (
    (scale == null || offset == null) &&
    tfc.engine().state.gradientDepth > 0 &&
    mean instanceof tfc.Tensor
  ) {
    // tfjs's FusedBatchNorm gradient fails without a scale or an offset (it saves and walks inputs
    // that are undefined): ones and zeros give the same values and a gradient
    return tfc.tidy(() =>
      tfc.batchNorm(
        x,
        mean,
        variance,
        offset ?? tfc.zerosLike(mean),
        scale ?? tfc.onesLike(mean),
        varianceEpsilon,
      ),
    );
  }
  return tfc.batchNorm(x, mean, variance, offset, scale, varianceEpsilon);
}

/** tfjs's `batchNorm2d` through the fusing `batchNorm`. */
export function batchNorm2d(
  x: tfc.Tensor2D | tfc.TensorLike,
  mean: tfc.Tensor2D | tfc.Tensor1D | tfc.TensorLike,
  variance: tfc.Tensor2D | tfc.Tensor1D | tfc.TensorLike,
  offset?: tfc.Tensor2D | tfc.Tensor1D | tfc.TensorLike,
  scale?: tfc.Tensor2D | tfc.Tensor1D | tfc.TensorLike,
  varianceEpsilon?: number,
): tfc.Tensor2D {
  return batchNorm(x, mean, variance, offset, scale, varianceEpsilon);
}

/** tfjs's `batchNorm3d` through the fusing `batchNorm`. */
export function batchNorm3d(
  x: tfc.Tensor3D | tfc.TensorLike,
  mean: tfc.Tensor3D | tfc.Tensor1D | tfc.TensorLike,
  variance: tfc.Tensor3D | tfc.Tensor1D | tfc.TensorLike,
  offset?: tfc.Tensor3D | tfc.Tensor1D | tfc.TensorLike,
  scale?: tfc.Tensor3D | tfc.Tensor1D | tfc.TensorLike,
  varianceEpsilon?: number,
): tfc.Tensor3D {
  return batchNorm(x, mean, variance, offset, scale, varianceEpsilon);
}

/** tfjs's `batchNorm4d` through the fusing `batchNorm`. */
export function batchNorm4d(
  x: tfc.Tensor4D | tfc.TensorLike,
  mean: tfc.Tensor4D | tfc.Tensor1D | tfc.TensorLike,
  variance: tfc.Tensor4D | tfc.Tensor1D | tfc.TensorLike,
  offset?: tfc.Tensor4D | tfc.Tensor1D | tfc.TensorLike,
  scale?: tfc.Tensor4D | tfc.Tensor1D | tfc.TensorLike,
  varianceEpsilon?: number,
): tfc.Tensor4D {
  return batchNorm(x, mean, variance, offset, scale, varianceEpsilon);
}
