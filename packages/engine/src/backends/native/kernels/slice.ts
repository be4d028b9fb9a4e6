/**
 * Slice and StridedSlice on the native addon (float32, int32, bool). A slice that is one
 * contiguous block stays the cpu kernel's zero-copy view; any other slice, and strided slices with
 * positive or negative strides, are one strided copy. Identity slices and other dtypes run the
 * cpu kernels. SplitV and Unpack are the same slices (the cpu backend's versions call its own
 * element-by-element slice, 600× slower for a column split: tfjs-layers' GRU splits its gates so).
 *
 *   tf.slice(x, [0, 1], [2, 3]);   // → addon.stridedSlice(x, out, shape, [0, 1], [1, 1], [2, 3])
 */
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { attrsOf } from '../../../kernel-args.js';
import * as tf from '../../../tf.js';
import type { NativeAddon } from '../addon.js';
import { alloc, outputOf, raw, span, whyNotRaw } from './layout-util.js';
import { cpuKernel, fallback, type KernelArgs, type TensorInfo } from './util.js';

interface StridedSliceAttrs {
  begin: number[];
  end: number[];
  strides: number[];
  beginMask: number;
  endMask: number;
  ellipsisMask: number;
  newAxisMask: number;
  shrinkAxisMask: number;
}

/** Whether every index begin + i·step (i < size) lies in [0, dim) on every axis. */
function inRange(shape: number[], begin: number[], step: number[], size: number[]): boolean {
  return size.every((n, i) => {
    if (n === 0) return true;
    const last = begin[i]! + (n - 1) * step[i]!;
    return begin[i]! >= 0 && begin[i]! < shape[i]! && last >= 0 && last < shape[i]!;
  });
}

export function sliceKernels(addon: NativeAddon): Record<string, tf.KernelFunc> {
  /** out = x[begin + i·step], shaped `outShape`; undefined when the native path does not apply. */
  const copy = (backend: MathBackendCPU, x: TensorInfo, begin: number[], step: number[], size: number[]) => {
    const xv = raw(backend, x);
    const rank = x.shape.length;
    if (!xv || rank === 0 || begin.length !== rank || step.length !== rank || size.length !== rank)
      return undefined;
    if (!inRange(x.shape, begin, step, size)) return undefined;
    const out = alloc(x.dtype, span(size, 0), { backend, contents: 'stale' });
    if (out.length > 0) addon.stridedSlice(xv, out, [...x.shape], begin, step, size);
    return out;
  };

  const slice = (args: KernelArgs) => {
    const backend = args.backend as MathBackendCPU;
    const { x } = args.inputs as { x: TensorInfo };
    const { begin, size } = args.attrs as { begin: number | number[]; size?: number | number[] };
    const [b, s] = tf.slice_util.parseSliceParams(x as tf.Tensor, begin, size) as [number[], number[]];
    tf.slice_util.assertParamsValid(x as tf.Tensor, b, s);
    if (tf.slice_util.isSliceContinous(x.shape, b, s)) return fallback(tf.Slice, args, 'no-copy');
    const out = copy(
      backend,
      x,
      b,
      b.map(() => 1),
      s,
    );
    return out
      ? outputOf(backend, s, x.dtype, out)
      : fallback(tf.Slice, args, raw(backend, x) ? 'shape' : whyNotRaw(x));
  };

  const stridedSlice = (args: KernelArgs) => {
    const backend = args.backend as MathBackendCPU;
    const { x } = args.inputs as { x: TensorInfo };
    const a = attrsOf<StridedSliceAttrs>(args.attrs);
    const info = tf.slice_util.sliceInfo(
      x.shape,
      a.begin,
      a.end,
      a.strides,
      a.beginMask,
      a.endMask,
      a.ellipsisMask,
      a.newAxisMask,
      a.shrinkAxisMask,
    );
    if (info.isIdentity) return fallback(tf.StridedSlice, args, 'no-copy');
    // The dense size per input axis (shrunk axes have size 1; cpu's sparse shape can lose them).
    const size = tf.slice_util.computeOutShape(info.begin, info.end, info.strides).map((n) => Math.max(0, n));
    const simple = info.sliceDim0 || info.isSimpleSlice;
    if (span(size, 0) !== span(info.finalShape, 0)) return fallback(tf.StridedSlice, args, 'shape');
    if (simple && tf.slice_util.isSliceContinous(x.shape, info.begin, size))
      return fallback(tf.StridedSlice, args, 'no-copy');
    const step = simple ? info.begin.map(() => 1) : info.strides;
    const out = copy(backend, x, info.begin, step, size);
    return out
      ? outputOf(backend, info.finalShape, x.dtype, out)
      : fallback(tf.StridedSlice, args, raw(backend, x) ? 'shape' : whyNotRaw(x));
  };

  const splitV = (args: KernelArgs) => {
    const { x } = args.inputs as { x: TensorInfo };
    const { numOrSizeSplits, axis } = args.attrs as { numOrSizeSplits: number | number[]; axis: number };
    const ax = tf.util.parseAxisParam(axis, x.shape)[0]!;
    const sizes = tf.backend_util.prepareSplitSize(x as tf.Tensor, numOrSizeSplits, ax);
    const begin = x.shape.map(() => 0);
    return sizes.map((n) => {
      const size = [...x.shape];
      size[ax] = n;
      const piece = slice({ ...args, attrs: { begin: [...begin], size } }) as TensorInfo;
      begin[ax]! += n;
      return piece;
    });
  };

  const unpack = (args: KernelArgs) => {
    const backend = args.backend as MathBackendCPU;
    const { value } = args.inputs as { value: TensorInfo };
    const rank = value.shape.length;
    const ax = ((args.attrs as { axis: number }).axis + rank) % rank;
    const outShape = value.shape.filter((_, i) => i !== ax);
    const size = [...value.shape];
    size[ax] = 1;
    return Array.from({ length: value.shape[ax]! }, (_, i) => {
      const begin = value.shape.map((_, a) => (a === ax ? i : 0));
      const piece = slice({ backend, inputs: { x: value }, attrs: { begin, size } }) as TensorInfo;
      const out = cpuKernel(tf.Reshape, {
        backend,
        inputs: { x: piece },
        attrs: { shape: outShape },
      }) as TensorInfo;
      backend.disposeIntermediateTensorInfo(piece);
      return out;
    });
  };

  return { [tf.Slice]: slice, [tf.StridedSlice]: stridedSlice, [tf.SplitV]: splitV, [tf.Unpack]: unpack };
}
