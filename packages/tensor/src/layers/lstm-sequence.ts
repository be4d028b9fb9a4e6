/**
 * An LSTM layer's recurrence over a whole sequence in one op (d2l §10.1's cell), as
 * `gruSequence` for the GRU: given every step's input projections (X·W_x + b, gates i, f, c, o
 * side by side), the first states and the recurrent weights, every step's H and C. On the native
 * backend it is one kernel forward and one backward through time (`DlpipeLstmSequence`);
 * elsewhere the same cell as tf ops, step by step.
 *
 *   I, F, O = σ(xp + H W_h);  C̃ = tanh(xp_c + H W_hc);  C' = F⊙C + I⊙C̃;  H' = O⊙tanh(C')
 *
 *   const { hs, cs } = lstmSequence(xp, h0, c0, wh, 35);   // xp [35·B, 4H], h0/c0 [B, H], wh [H, 4H]
 */
import { InvalidArgumentError } from '@dlpipe/core';
import { LSTM_SEQUENCE, tf } from '@dlpipe/engine';
import { ShapeMismatchError } from '../errors.js';

/** Whether the current backend runs the sequence kernel and op fusion is on (see `hasGruSequenceKernel`). */
export function hasLstmSequenceKernel(): boolean {
  return tf.opFusionEnabled() && tf.getKernel(LSTM_SEQUENCE, tf.getBackend()) !== undefined;
}

/** Every step's hidden and cell states [steps·B, H] (time-major rows); see the file header. */
export function lstmSequence(
  xp: tf.Tensor2D,
  h0: tf.Tensor2D,
  c0: tf.Tensor2D,
  wh: tf.Tensor2D,
  steps: number,
): { hs: tf.Tensor2D; cs: tf.Tensor2D } {
  if (!(Number.isInteger(steps) && steps >= 1)) {
    throw new InvalidArgumentError(`lstmSequence: steps must be an integer ≥ 1, received ${steps}`);
  }
  const [B, H] = h0.shape;
  if (
    xp.rank !== 2 ||
    xp.shape[0] !== steps * B ||
    xp.shape[1] !== 4 * H ||
    c0.shape[0] !== B ||
    c0.shape[1] !== H ||
    wh.rank !== 2 ||
    wh.shape[0] !== H ||
    wh.shape[1] !== 4 * H
  ) {
    throw new ShapeMismatchError(
      `lstmSequence: expected xp [steps·B, 4H] = [${steps * B}, ${4 * H}], c0 [${B}, ${H}] and wh [H, 4H] = [${H}, ${4 * H}] for h0 [${h0.shape}] and ${steps} steps; received xp [${xp.shape}], c0 [${c0.shape}], wh [${wh.shape}]`,
    );
  }
  if (xp.dtype === 'float32' && hasLstmSequenceKernel()) {
    const [hs, cs, gates] = tf
      .engine()
      .runKernel(LSTM_SEQUENCE, { xp, h0, c0, wh }, { steps }) as tf.Tensor2D[];
    gates!.dispose();
    return { hs: hs!, cs: cs! };
  }
  return tf.tidy(() => {
    const perStep = steps === 1 ? [xp] : (tf.split(xp, steps, 0) as tf.Tensor2D[]);
    const hs: tf.Tensor2D[] = [];
    const cs: tf.Tensor2D[] = [];
    let h = h0;
    let c = c0;
    for (const x of perStep) {
      const [i, f, g, o] = tf.split(tf.add(x, tf.matMul(h, wh)), 4, 1) as tf.Tensor2D[];
      c = tf.add(tf.mul(tf.sigmoid(f!), c), tf.mul(tf.sigmoid(i!), tf.tanh(g!))) as tf.Tensor2D;
      h = tf.mul(tf.sigmoid(o!), tf.tanh(c)) as tf.Tensor2D;
      hs.push(h);
      cs.push(c);
    }
    const cat = (ts: tf.Tensor2D[]) => (ts.length === 1 ? ts[0]! : (tf.concat(ts, 0) as tf.Tensor2D));
    return { hs: cat(hs), cs: cat(cs) };
  });
}
