/**
 * An LSTM layer over a whole sequence as two native kernels (lstm-sequence.cc), as
 * gru-sequence.ts does for the GRU: `DlpipeLstmSequence` (xp [T·B, 4H] input projections per step,
 * time-major, gates i, f, c, o; h0, c0 [B, H]; wh [H, 4H] → hs, cs [T·B, H], gates [T·B, 4H]) and
 * its gradient `DlpipeLstmSequenceGrad` (→ dxp, dh0, dc0, dwh). The cell is d2l §10.1's and
 * tfjs-layers' LSTMCell with sigmoid gates: C' = F⊙C + I⊙C̃, H' = O⊙tanh(C').
 *
 * Gradients arriving at hs and cs (every step's states) are used; one arriving at `gates` is
 * ignored — it exists for the backward only. The op is `lstmSequence` in @dlpipe/tensor.
 *
 *   const [hs, cs] = tf.engine().runKernel(LSTM_SEQUENCE, { xp, h0, c0, wh }, { steps: 35 });
 */
import { InvalidArgumentError } from '@dlpipe/core';
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { asAttrMap } from '../../../kernel-args.js';
import * as tf from '../../../tf.js';
import type { NativeAddon } from '../addon.js';
import { LSTM_SEQUENCE, LSTM_SEQUENCE_GRAD } from './fused-names.js';
import { f32Inputs, type KernelArgs, outArray, output, type TensorInfo } from './util.js';

export { LSTM_SEQUENCE, LSTM_SEQUENCE_GRAD };

let gradientRegistered = false;

/** Registers the gradient of `DlpipeLstmSequence` (global; idempotent). */
export function registerLstmSequenceGrad(): void {
  if (gradientRegistered) return;
  gradientRegistered = true;
  tf.registerGradient({
    kernelName: LSTM_SEQUENCE,
    inputsToSave: ['h0', 'c0', 'wh'],
    outputsToSave: [true, true, true],
    gradFunc: (dys, saved, attrs) => {
      const [h0, c0, wh, hs, cs, gates] = saved as tf.Tensor[];
      const [dhs, dcs] = dys as tf.Tensor[];
      const [dxp, dh0, dc0, dwh] = tf
        .engine()
        .runKernel(
          LSTM_SEQUENCE_GRAD,
          { dhs: dhs!, dcs: dcs!, gates: gates!, hs: hs!, cs: cs!, h0: h0!, c0: c0!, wh: wh! },
          asAttrMap(attrs),
        ) as tf.Tensor[];
      return { xp: () => dxp!, h0: () => dh0!, c0: () => dc0!, wh: () => dwh! };
    },
  });
}

/** T, B, H of a call, checked against every input's shape. */
function geometry(name: string, t: Record<string, TensorInfo | undefined>, steps: number) {
  const [rows = 0, fourH = 0] = t.xp?.shape ?? [];
  const [B = 0, H = 0] = t.h0?.shape ?? [];
  const ok =
    Number.isInteger(steps) &&
    steps >= 1 &&
    t.xp?.shape.length === 2 &&
    t.h0?.shape.length === 2 &&
    t.c0?.shape.length === 2 &&
    t.c0.shape[0] === B &&
    t.c0.shape[1] === H &&
    rows === steps * B &&
    fourH === 4 * H &&
    t.wh?.shape.length === 2 &&
    t.wh.shape[0] === H &&
    t.wh.shape[1] === 4 * H &&
    H > 0 &&
    B > 0;
  if (!ok) {
    throw new InvalidArgumentError(
      `${name}: expected xp [steps·B, 4H], h0 and c0 [B, H], wh [H, 4H] with steps ≥ 1; received steps ${steps}, ` +
        `xp [${t.xp?.shape}], h0 [${t.h0?.shape}], c0 [${t.c0?.shape}], wh [${t.wh?.shape}]`,
    );
  }
  return { T: steps, B, H };
}

export function lstmSequenceKernels(addon: NativeAddon): Record<string, tf.KernelFunc> {
  registerLstmSequenceGrad();

  const forward = (args: KernelArgs) => {
    const backend = args.backend as MathBackendCPU;
    const t = args.inputs as Record<string, TensorInfo>;
    const steps = (args.attrs as { steps: number }).steps;
    const { T, B, H } = geometry(LSTM_SEQUENCE, t, steps);
    const v = f32Inputs(LSTM_SEQUENCE, backend, t);
    const hs = outArray(backend, T * B * H);
    const cs = outArray(backend, T * B * H);
    const gates = outArray(backend, T * B * 4 * H);
    addon.lstmSequence(v.xp!, v.h0!, v.c0!, v.wh!, T, B, H, hs, cs, gates);
    return [
      output(backend, [T * B, H], hs),
      output(backend, [T * B, H], cs),
      output(backend, [T * B, 4 * H], gates),
    ];
  };

  const grad = (args: KernelArgs) => {
    const backend = args.backend as MathBackendCPU;
    const t = args.inputs as Record<string, TensorInfo>;
    const steps = (args.attrs as { steps: number }).steps;
    const { T, B, H } = geometry(LSTM_SEQUENCE_GRAD, { xp: t.gates, h0: t.h0, c0: t.c0, wh: t.wh }, steps);
    const v = f32Inputs(LSTM_SEQUENCE_GRAD, backend, t);
    const dxp = outArray(backend, T * B * 4 * H);
    const dh0 = outArray(backend, B * H);
    const dc0 = outArray(backend, B * H);
    const dwh = outArray(backend, H * 4 * H);
    addon.lstmSequenceGrad(
      v.dhs!,
      v.dcs!,
      v.gates!,
      v.hs!,
      v.cs!,
      v.h0!,
      v.c0!,
      v.wh!,
      T,
      B,
      H,
      dxp,
      dh0,
      dc0,
      dwh,
    );
    return [
      output(backend, [T * B, 4 * H], dxp),
      output(backend, [B, H], dh0),
      output(backend, [B, H], dc0),
      output(backend, [H, 4 * H], dwh),
    ];
  };

  return { [LSTM_SEQUENCE]: forward, [LSTM_SEQUENCE_GRAD]: grad };
}
