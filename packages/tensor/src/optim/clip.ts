/**
 * Gradient clipping by global norm (d2l `grad_clipping`, PyTorch `clip_grad_norm_`):
 * if ‖g‖₂ over all gradients exceeds `maxNorm`, every gradient is scaled by maxNorm / ‖g‖₂.
 *
 * On the native backend each pass is one kernel over every gradient (`DlpipeSumSquares`,
 * `DlpipeScaleMany`) instead of a square, a sum and a multiply per gradient.
 *
 *   const { grads: clipped, norm } = clipByGlobalNorm(grads, 1);
 */
import { OptionsError } from '@dlpipe/core';
import { SCALE_MANY, SUM_SQUARES, tf } from '@dlpipe/engine';

export type NamedGrads = Record<string, tf.Tensor>;

/** Whether `kernel` runs on the current backend for all of `ts` (float32). */
function fused(kernel: string, ts: tf.Tensor[]): boolean {
  return (
    ts.length > 0 &&
    ts.every((t) => t.dtype === 'float32') &&
    tf.getKernel(kernel, tf.getBackend()) !== undefined
  );
}

/** `ts` as kernel inputs g0, g1, … (in order). */
const named = (ts: tf.Tensor[]) => Object.fromEntries(ts.map((t, i) => [`g${i}`, t]));

/** The global L2 norm of a set of gradients, as a scalar tensor. */
export function globalNorm(grads: tf.Tensor[]): tf.Scalar {
  return tf.tidy(() => {
    if (grads.length === 0) return tf.scalar(0);
    if (fused(SUM_SQUARES, grads)) {
      return tf.sqrt(tf.engine().runKernel(SUM_SQUARES, named(grads), {}) as tf.Scalar) as tf.Scalar;
    }
    const sq = grads.map((g) => tf.sum(tf.square(g)));
    return tf.sqrt(tf.addN(sq)) as tf.Scalar;
  });
}

/**
 * Scales gradients so their global norm is at most `maxNorm`. Returns the norm before clipping
 * and, when it exceeded maxNorm, new scaled tensors (`clipped: true`; the caller still owns and
 * disposes the inputs); otherwise the input map itself (`clipped: false`), saving a copy per step.
 */
export function clipByGlobalNorm(
  grads: NamedGrads,
  maxNorm: number,
): { grads: NamedGrads; norm: number; clipped: boolean } {
  if (!(maxNorm > 0)) throw new OptionsError(`maxNorm must be > 0, got ${maxNorm}`);
  const names = Object.keys(grads);
  const normT = globalNorm(names.map((n) => grads[n]!));
  const norm = normT.dataSync()[0]!;
  normT.dispose();
  if (!(norm > maxNorm)) return { grads, norm, clipped: false };
  const scale = maxNorm / (norm + 1e-6);
  const out: NamedGrads = {};
  const tensors = names.map((n) => grads[n]!);
  if (fused(SCALE_MANY, tensors)) {
    const scaled = [
      tf.engine().runKernel(SCALE_MANY, named(tensors), { scale }) as tf.Tensor | tf.Tensor[],
    ].flat();
    names.forEach((n, i) => {
      out[n] = scaled[i]!;
    });
  } else for (const n of names) out[n] = tf.mul(grads[n]!, scale);
  return { grads: out, norm, clipped: true };
}
