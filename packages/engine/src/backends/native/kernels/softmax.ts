/**
 * Softmax and LogSoftmax over the last axis on oneDNN (native/src/softmax.cc), as one kernel
 * instead of the cpu backend's Max, Sub, Exp, Sum and RealDiv. tfjs 4.22's `tf.logSoftmax` is a
 * composite of ops and never dispatches the LogSoftmax kernel; it is here for `runKernel` users.
 *
 *   tf.softmax(scores)   // [B, Lq, Lk] → rows B·Lq of Lk
 */
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { BackendError } from '../../../errors.js';
import type * as tf from '../../../tf.js';
import type { NativeAddon } from '../addon.js';
import { f32, fallback, type KernelArgs, outArray, output, type TensorInfo, whyNotF32 } from './util.js';

/** Whether `axis` (negative counts from the end) names the last axis of `shape`. */
function isLastAxis(axis: number | number[] | undefined, rank: number): boolean {
  const a = Array.isArray(axis) ? axis[0] : axis;
  return a === undefined || a === -1 || a === rank - 1;
}

function softmaxKernel(addon: NativeAddon, name: 'Softmax' | 'LogSoftmax'): tf.KernelFunc {
  return (args: KernelArgs) => {
    const backend = args.backend as MathBackendCPU;
    const logits = (args.inputs as { logits: TensorInfo }).logits;
    const attrs = args.attrs as { dim?: number; axis?: number | number[] };
    const xv = f32(backend, logits);
    const rank = logits.shape.length;
    const axis = name === 'Softmax' ? attrs.dim : attrs.axis;
    if (!xv || rank === 0 || !isLastAxis(axis, rank)) {
      if (name === 'Softmax') return fallback(name, args, xv ? 'attr' : whyNotF32(logits));
      throw new BackendError(
        `native LogSoftmax: got ${logits.dtype} logits of shape [${logits.shape}] and axis ${axis}; ` +
          'expected float32 logits of rank ≥ 1 and the last axis. Cast the logits to float32 or call tf.logSoftmax.',
      );
    }
    const cols = logits.shape[rank - 1]!;
    const out = outArray(backend, xv.length);
    if (out.length > 0) addon.softmax(xv, out, out.length / cols, cols, name === 'LogSoftmax');
    return output(backend, logits.shape.slice(), out);
  };
}

export function softmaxKernels(addon: NativeAddon): Record<string, tf.KernelFunc> {
  return { Softmax: softmaxKernel(addon, 'Softmax'), LogSoftmax: softmaxKernel(addon, 'LogSoftmax') };
}
