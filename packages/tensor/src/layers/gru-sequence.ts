/**
 * A GRU layer's recurrence over a whole sequence in one op (d2l §10.2's cell): given the input
 * projections of every step (X·W_x + b, computed outside in one matmul), the first state and the
 * recurrent weights, all hidden states. On the native backend it is one kernel forward and one
 * backward through time (`DlpipeGruSequence`, as cuDNN/PyTorch run recurrent layers); elsewhere
 * the same cell as tf ops, step by step.
 *
 *   Z, R = σ(xp_z + H W_hz), σ(xp_r + H W_hr);  H̃ = tanh(xp_h + (R⊙H) W_hh);  H' = Z⊙H + (1−Z)⊙H̃
 *
 *   const hs = gruSequence(xp, h0, wh, 35);   // xp [35·B, 3H] time-major (z, r, h), h0 [B, H], wh [H, 3H] → [35·B, H]
 */
import { InvalidArgumentError } from '@dlpipe/core';
import { GRU_SEQUENCE, tf } from '@dlpipe/engine';
import { ShapeMismatchError } from '../errors.js';

/**
 * Whether the current backend runs the sequence kernel (the native backend), and op fusion is on
 * (`tf.setOpFusion(false)` / `DLPIPE_OP_FUSION=0` turn it off, to compare with the step-by-step ops).
 */
export function hasGruSequenceKernel(): boolean {
  return tf.opFusionEnabled() && tf.getKernel(GRU_SEQUENCE, tf.getBackend()) !== undefined;
}

/**
 * All hidden states [steps·B, H] (time-major rows) of d2l's GRU over `steps` steps; see the file
 * header. `xp` holds each step's input projections for the gates z, r, h side by side.
 */
export function gruSequence(xp: tf.Tensor2D, h0: tf.Tensor2D, wh: tf.Tensor2D, steps: number): tf.Tensor2D {
  if (!(Number.isInteger(steps) && steps >= 1)) {
    throw new InvalidArgumentError(`gruSequence: steps must be an integer ≥ 1, received ${steps}`);
  }
  const [B, H] = h0.shape;
  if (
    xp.rank !== 2 ||
    xp.shape[0] !== steps * B ||
    xp.shape[1] !== 3 * H ||
    wh.rank !== 2 ||
    wh.shape[0] !== H ||
    wh.shape[1] !== 3 * H
  ) {
    throw new ShapeMismatchError(
      `gruSequence: expected xp [steps·B, 3H] = [${steps * B}, ${3 * H}] and wh [H, 3H] = [${H}, ${3 * H}] for h0 [${h0.shape}] and ${steps} steps; received xp [${xp.shape}], wh [${wh.shape}]`,
    );
  }
  if (xp.dtype === 'float32' && hasGruSequenceKernel()) {
    return tf.tidy(() => {
      const [hs] = tf.engine().runKernel(GRU_SEQUENCE, { xp, h0, wh }, { steps }) as tf.Tensor[];
      return hs as tf.Tensor2D;
    });
  }
  return tf.tidy(() => {
    const [whZR, whH] = tf.split(wh, [2 * H, H], 1) as [tf.Tensor2D, tf.Tensor2D];
    const perStep = steps === 1 ? [xp] : (tf.split(xp, steps, 0) as tf.Tensor2D[]);
    const outs: tf.Tensor2D[] = [];
    let h = h0;
    for (const x of perStep) {
      const [xZR, xH] = tf.split(x, [2 * H, H], 1) as [tf.Tensor2D, tf.Tensor2D];
      const zr = tf.sigmoid(tf.add(xZR, tf.matMul(h, whZR)));
      const [z, r] = tf.split(zr, 2, 1) as [tf.Tensor2D, tf.Tensor2D];
      const n = tf.tanh(tf.add(xH, tf.matMul(tf.mul(r, h), whH)));
      h = tf.add(tf.mul(z, h), tf.mul(tf.sub(1, z), n)) as tf.Tensor2D;
      outs.push(h);
    }
    return (outs.length === 1 ? outs[0]! : tf.concat(outs, 0)) as tf.Tensor2D;
  });
}
