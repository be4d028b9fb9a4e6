/**
 * Transpose, Tile (and so `tf.broadcastTo`), Concat and PadV2 on the native addon, for float32,
 * int32 and bool tensors; empty outputs are made here without a native call, other dtypes
 * (string, complex64) and rank-0 edge cases run the cpu kernels.
 *
 *   tf.transpose(x, [0, 2, 1, 3]);   // → addon.transpose(x, out, shape, perm)
 */
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { inputsOf } from '../../../kernel-args.js';
import * as tf from '../../../tf.js';
import type { LayoutArray, NativeAddon } from '../addon.js';
import { alloc, outputOf, raw, span, whyNotRaw } from './layout-util.js';
import { fallback, type KernelArgs, type TensorInfo } from './util.js';

/** A non-negative integer. */
const isCount = (n: number) => Number.isInteger(n) && n >= 0;

/** Whether `perm` lists each axis of a rank-`rank` tensor once. */
function isPermutation(perm: number[], rank: number): boolean {
  const seen = new Set(perm);
  return (
    perm.length === rank && seen.size === rank && perm.every((p) => Number.isInteger(p) && p >= 0 && p < rank)
  );
}

export function layoutKernels(addon: NativeAddon): Record<string, tf.KernelFunc> {
  const transpose = (args: KernelArgs) => {
    const backend = args.backend as MathBackendCPU;
    const { x } = args.inputs as { x: TensorInfo };
    const { perm } = args.attrs as { perm: number[] };
    const xv = raw(backend, x);
    if (!xv) return fallback(tf.Transpose, args, whyNotRaw(x));
    if (!isPermutation(perm, x.shape.length)) return fallback(tf.Transpose, args, 'tfjs-error');
    const shape = perm.map((p) => x.shape[p]!);
    const moved = perm.filter((p) => x.shape[p] !== 1);
    if (moved.every((p, i) => i === 0 || p > moved[i - 1]!)) {
      return fallback(tf.Reshape, { ...args, attrs: { shape } }, 'no-copy'); // only size-1 axes move
    }
    const out = alloc(x.dtype, xv.length, { backend, contents: 'stale' });
    if (out.length > 0) addon.transpose(xv, out, [...x.shape], [...perm]);
    return outputOf(backend, shape, x.dtype, out);
  };

  const tile = (args: KernelArgs) => {
    const backend = args.backend as MathBackendCPU;
    const { x } = args.inputs as { x: TensorInfo };
    const { reps } = args.attrs as { reps: number[] };
    const xv = raw(backend, x);
    const badReps = reps.length !== x.shape.length || !reps.every(isCount);
    if (!xv) return fallback(tf.Tile, args, whyNotRaw(x));
    if (x.shape.length === 0 || badReps) return fallback(tf.Tile, args, 'shape');
    const shape = x.shape.map((d, i) => d * reps[i]!);
    const out = alloc(x.dtype, span(shape, 0), { backend, contents: 'stale' });
    if (out.length > 0) addon.tile(xv, out, [...x.shape], [...reps]);
    return outputOf(backend, shape, x.dtype, out);
  };

  const concat = (args: KernelArgs) => {
    const backend = args.backend as MathBackendCPU;
    const inputs = inputsOf<TensorInfo[]>(args.inputs);
    const first = inputs[0];
    if (!first || first.shape.length === 0) return fallback(tf.Concat, args, 'shape');
    const axis = tf.util.parseAxisParam((args.attrs as { axis: number }).axis, first.shape)[0]!;
    const shapes = inputs.map((t) => t.shape);
    tf.backend_util.assertParamsConsistent(shapes, axis);
    const shape = tf.backend_util.computeOutShape(shapes, axis);
    const parts = inputs.filter((t) => span(t.shape, 0) > 0);
    const values = parts.map((t) => raw(backend, t));
    const ok = (v: LayoutArray | undefined, i: number): v is LayoutArray =>
      !!v && parts[i]!.dtype === first.dtype;
    if (!values.every(ok) || !raw(backend, first)) return fallback(tf.Concat, args, 'dtype');
    const out = alloc(first.dtype, span(shape, 0), { backend, contents: 'stale' });
    if (out.length > 0) {
      addon.concat(
        values,
        out,
        span(shape, 0, axis),
        parts.map((t) => span(t.shape, axis)),
      );
    }
    return outputOf(backend, shape, first.dtype, out);
  };

  const pad = (args: KernelArgs) => {
    const backend = args.backend as MathBackendCPU;
    const { x } = args.inputs as { x: TensorInfo };
    const { paddings, constantValue } = args.attrs as {
      paddings: Array<[number, number]>;
      constantValue: number;
    };
    const xv = raw(backend, x);
    const badPad =
      paddings.length !== x.shape.length || !paddings.every(([b, a]) => isCount(b) && isCount(a));
    if (!xv) return fallback(tf.PadV2, args, whyNotRaw(x));
    if (x.shape.length === 0 || badPad) return fallback(tf.PadV2, args, 'shape');
    const shape = paddings.map(([b, a], i) => b + x.shape[i]! + a);
    const contents = constantValue === 0 ? 'zeroed' : 'stale';
    const out = alloc(x.dtype, span(shape, 0), { backend, contents });
    if (constantValue !== 0) out.fill(constantValue);
    if (xv.length > 0) {
      addon.pad(
        xv,
        out,
        [...x.shape],
        paddings.map(([b]) => b),
        shape,
      );
    }
    return outputOf(backend, shape, x.dtype, out);
  };

  return { [tf.Transpose]: transpose, [tf.Tile]: tile, [tf.Concat]: concat, [tf.PadV2]: pad };
}
