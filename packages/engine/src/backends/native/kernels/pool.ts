/**
 * MaxPool, AvgPool and their gradients on the native addon (NHWC, float32). Geometry comes from
 * tfjs's own `computePool2DInfo`, so padding modes, strides and `dimRoundingMode` match the cpu
 * kernels; windows that lie wholly in padding, 1×1 identities and other dtypes run the cpu kernel.
 *
 *   tf.maxPool(x, 3, 2, 'same');   // → addon.maxPool(x, out, [N, IH, IW, C, OH, OW, 3, 3, 2, 2, …])
 */
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { attrsOf } from '../../../kernel-args.js';
import * as tf from '../../../tf.js';
import type { NativeAddon } from '../addon.js';
import {
  f32,
  fallback,
  type KernelArgs,
  outArray,
  output,
  sizeOf,
  type TensorInfo,
  whyNotF32,
} from './util.js';

type PoolInfo = ReturnType<typeof tf.backend_util.computePool2DInfo>;

interface PoolAttrs {
  filterSize: number | [number, number];
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

function poolInfo(xShape: number[], a: PoolAttrs, rounding: boolean): PoolInfo {
  return tf.backend_util.computePool2DInfo(
    xShape as [number, number, number, number],
    a.filterSize,
    a.strides,
    1,
    a.pad,
    rounding ? a.dimRoundingMode : undefined,
  );
}

/**
 * The addon's geometry, or undefined where oneDNN's or the loop's window arithmetic would differ
 * from tfjs's: empty tensors, windows with no input pixel, negative padding, 1×1 identities.
 */
export function poolGeom(c: PoolInfo): number[] | undefined {
  const { batchSize: n, inHeight: ih, inWidth: iw, inChannels: ch, outHeight: oh, outWidth: ow } = c;
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = c;
  const pt = c.padInfo.top;
  const pl = c.padInfo.left;
  const pb = Math.max(0, (oh - 1) * sh + kh - ih - pt);
  const pr = Math.max(0, (ow - 1) * sw + kw - iw - pl);
  if (n * ih * iw * ch * oh * ow === 0 || pt < 0 || pl < 0) return undefined;
  if (kh === 1 && kw === 1 && oh === ih && ow === iw) return undefined;
  if (pt >= kh || pl >= kw || (oh - 1) * sh - pt >= ih || (ow - 1) * sw - pl >= iw) return undefined;
  if (Math.floor((ih + pt + pb - kh) / sh) + 1 !== oh || Math.floor((iw + pl + pr - kw) / sw) + 1 !== ow) {
    return undefined;
  }
  return [n, ih, iw, ch, oh, ow, kh, kw, sh, sw, pt, pl, pb, pr];
}

export function poolKernels(addon: NativeAddon): Record<string, tf.KernelFunc> {
  const forward = (args: KernelArgs, name: 'MaxPool' | 'AvgPool') => {
    const backend = args.backend as MathBackendCPU;
    const { x } = args.inputs as { x: TensorInfo };
    const c = poolInfo(x.shape, attrsOf<PoolAttrs>(args.attrs), true);
    const xv = f32(backend, x);
    const g = poolGeom(c);
    if (!xv) return fallback(name, args, whyNotF32(x));
    if (!g) return fallback(name, args, sizeOf(x.shape) === 0 ? 'empty' : 'shape');
    const out = outArray(backend, sizeOf(c.outShape));
    (name === 'MaxPool' ? addon.maxPool : addon.avgPool)(xv, out, g);
    return output(backend, [...c.outShape], out);
  };

  /** MaxPoolGrad (reads the input's values) or AvgPoolGrad (only its shape; float32 inputs only). */
  const poolGrad = (args: KernelArgs, name: 'MaxPoolGrad' | 'AvgPoolGrad') => {
    const backend = args.backend as MathBackendCPU;
    const { dy, input } = args.inputs as { dy: TensorInfo; input: TensorInfo };
    const max = name === 'MaxPoolGrad';
    // tfjs's AvgPoolGrad ignores dimRoundingMode; so does this one.
    const c = poolInfo(input.shape, attrsOf<PoolAttrs>(args.attrs), max);
    const xv = max ? f32(backend, input) : undefined;
    const dyv = f32(backend, dy);
    const g = poolGeom(c);
    const inputOk = max ? xv !== undefined : input.dtype === 'float32';
    if (!dyv || !inputOk) return fallback(name, args, whyNotF32(dy, input));
    if (!g || !tf.util.arraysEqual(dy.shape, c.outShape))
      return fallback(name, args, sizeOf(input.shape) === 0 ? 'empty' : 'shape');
    const dx = outArray(backend, sizeOf(input.shape));
    if (xv) addon.maxPoolGrad(xv, dyv, dx, g);
    else addon.avgPoolGrad(dyv, dx, g);
    return output(backend, [...input.shape], dx);
  };

  return {
    MaxPool: (args) => forward(args, 'MaxPool'),
    AvgPool: (args) => forward(args, 'AvgPool'),
    MaxPoolGrad: (args) => poolGrad(args, 'MaxPoolGrad'),
    AvgPoolGrad: (args) => poolGrad(args, 'AvgPoolGrad'),
  };
}
