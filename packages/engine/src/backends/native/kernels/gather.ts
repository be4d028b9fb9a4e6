/**
 * GatherV2 (`tf.gather`, batchDims 0; float32, int32, bool) and its gradient UnsortedSegmentSum
 * (float32, 1-D segment ids) on the native addon. Out-of-range gather indices run the cpu kernel,
 * which raises tfjs's own error; batchDims > 0 and other dtypes run the cpu kernels too.
 *
 *   tf.gather(table, tokens);                       // → addon.gather(table, tokens, out, 1, V, d)
 *   tf.unsortedSegmentSum(dy, tokens, V);           // → addon.unsortedSegmentSum(dy, tokens, out, V, d)
 */
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import * as tf from '../../../tf.js';
import type { NativeAddon } from '../addon.js';
import { alloc, outputOf, raw, span } from './layout-util.js';
import { f32, fallback, type KernelArgs, output, type TensorInfo, zeroArray } from './util.js';

export function gatherKernels(addon: NativeAddon): Record<string, tf.KernelFunc> {
  const gather = (args: KernelArgs) => {
    const backend = args.backend as MathBackendCPU;
    const { x, indices } = args.inputs as { x: TensorInfo; indices: TensorInfo };
    const { axis, batchDims } = args.attrs as { axis: number; batchDims?: number };
    const xv = raw(backend, x);
    const iv = raw(backend, indices);
    if (!xv || !(iv instanceof Int32Array)) return fallback(tf.GatherV2, args, 'dtype');
    if ((batchDims ?? 0) !== 0) return fallback(tf.GatherV2, args, 'attr');
    if (x.shape.length === 0) return fallback(tf.GatherV2, args, 'shape');
    const ax = tf.util.parseAxisParam(axis, x.shape)[0]!;
    const shape = [...x.shape.slice(0, ax), ...indices.shape, ...x.shape.slice(ax + 1)];
    const out = alloc(x.dtype, span(shape, 0), { backend, contents: 'stale' });
    if (iv.length === 0) return outputOf(backend, shape, x.dtype, out);
    const bad = addon.gather(xv, iv, out, span(x.shape, 0, ax), x.shape[ax]!, span(x.shape, ax + 1));
    if (bad >= 0) return fallback(tf.GatherV2, args, 'tfjs-error'); // raises tfjs's out-of-range error
    return outputOf(backend, shape, x.dtype, out);
  };

  const segmentSum = (args: KernelArgs) => {
    const backend = args.backend as MathBackendCPU;
    const { x, segmentIds } = args.inputs as { x: TensorInfo; segmentIds: TensorInfo };
    const { numSegments } = args.attrs as { numSegments: number };
    const xv = f32(backend, x);
    const ids = raw(backend, segmentIds);
    const rows = segmentIds.shape[0];
    const oneIdPerRow = segmentIds.shape.length === 1 && x.shape.length >= 1 && x.shape[0] === rows;
    if (!xv || !(ids instanceof Int32Array)) return fallback(tf.UnsortedSegmentSum, args, 'dtype');
    if (!oneIdPerRow) return fallback(tf.UnsortedSegmentSum, args, 'shape');
    if (!(numSegments > 0) || !Number.isInteger(numSegments)) {
      return fallback(tf.UnsortedSegmentSum, args, 'attr');
    }
    const shape = [numSegments, ...x.shape.slice(1)];
    const out = zeroArray(backend, span(shape, 0));
    if (out.length > 0) addon.unsortedSegmentSum(xv, ids, out, numSegments, span(x.shape, 1));
    return output(backend, shape, out);
  };

  return { [tf.GatherV2]: gather, [tf.UnsortedSegmentSum]: segmentSum };
}
