/**
 * Reductions on the addon (native/src/reduce.cc) over any axes, without the cpu kernels'
 * transpose: Sum, Max, Min, Prod of float32 and int32, Mean of float32, ArgMax/ArgMin. Bool
 * inputs and zero-size tensors run the cpu kernels (which define their empty-reduction values).
 *
 *   tf.sum(x, [0, 1, 2])        // NHWC → per-channel, one pass
 *   tf.argMax(logits, -1)       // int32 indices of the first maximum
 */
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import * as tf from '../../../tf.js';
import type { NativeAddon } from '../addon.js';
import { alloc, raw } from './layout-util.js';
import { REDUCE_CODES } from './math-codes.js';
import { fallback, type KernelArgs, sizeOf, type TensorInfo } from './util.js';

/** Input dtypes each reduction takes natively (the output keeps it). */
const ACCEPTS: Record<string, readonly tf.DataType[]> = {
  Sum: ['float32', 'int32'],
  Mean: ['float32'],
  Max: ['float32', 'int32'],
  Min: ['float32', 'int32'],
  Prod: ['float32', 'int32'],
};

interface ReduceAttrs {
  axis?: number | number[];
  reductionIndices?: number | number[];
  keepDims?: boolean;
}

/** Sorted, non-negative, distinct axes and the output shape (with keepDims). */
export function reducePlan(shape: number[], axis: number | number[] | undefined, keepDims: boolean) {
  const axes = [...new Set(tf.util.parseAxisParam(axis ?? shape.map((_, i) => i), shape))].sort(
    (a, b) => a - b,
  );
  const [outShape] = tf.backend_util.computeOutAndReduceShapes(shape, axes);
  return { axes, outShape: keepDims ? tf.backend_util.expandShapeToKeepDim(outShape, axes) : outShape };
}

function reduceKernel(addon: NativeAddon, name: string, code: number): tf.KernelFunc {
  return (args: KernelArgs) => {
    const backend = args.backend as MathBackendCPU;
    const x = (args.inputs as { x: TensorInfo }).x;
    const attrs = args.attrs as ReduceAttrs;
    const xv = raw(backend, x);
    if (!xv || !ACCEPTS[name]!.includes(x.dtype)) return fallback(name, args, 'dtype');
    if (xv.length === 0) return fallback(name, args, 'empty');
    const { axes, outShape } = reducePlan(
      x.shape,
      attrs.axis ?? attrs.reductionIndices,
      attrs.keepDims ?? false,
    );
    const out = alloc(x.dtype, sizeOf(outShape), { backend, contents: 'stale' });
    addon.reduce(code, xv, x.shape, axes, out);
    return backend.makeTensorInfo(outShape, x.dtype, out);
  };
}

/** ArgMax / ArgMin over one axis (the first of `axis`, as the cpu kernel). */
function argKernel(addon: NativeAddon, name: 'ArgMax' | 'ArgMin'): tf.KernelFunc {
  return (args: KernelArgs) => {
    const backend = args.backend as MathBackendCPU;
    const x = (args.inputs as { x: TensorInfo }).x;
    const xv = raw(backend, x);
    if (!xv || x.dtype === 'bool') return fallback(name, args, 'dtype');
    if (xv.length === 0) return fallback(name, args, 'empty');
    const [axis] = tf.util.parseAxisParam((args.attrs as { axis: number | number[] }).axis, x.shape);
    if (axis === undefined) return fallback(name, args, 'attr');
    const outShape = x.shape.filter((_, i) => i !== axis);
    const out = new Int32Array(sizeOf(outShape));
    addon.argReduce(name === 'ArgMin', xv, x.shape, axis, out);
    return backend.makeTensorInfo(outShape, 'int32', out);
  };
}

export function reduceKernels(addon: NativeAddon): Record<string, tf.KernelFunc> {
  const kernels: Record<string, tf.KernelFunc> = {
    ArgMax: argKernel(addon, 'ArgMax'),
    ArgMin: argKernel(addon, 'ArgMin'),
  };
  for (const [name, code] of Object.entries(REDUCE_CODES)) kernels[name] = reduceKernel(addon, name, code);
  return kernels;
}
