/**
 * A GRU layer over a whole sequence as two native kernels (gru-sequence.cc), the way cuDNN and
 * PyTorch run recurrent layers: `DlpipeGruSequence` (xp [T·B, 3H] input projections per step,
 * time-major, gates z, r, h; h0 [B, H]; wh [H, 3H] → hs [T·B, H], gates [T·B, 3H]) and its
 * gradient `DlpipeGruSequenceGrad` (backpropagation through time → dxp, dh0, dwh). The cell is
 * d2l §10.2's: Z, R = σ(xp + H W_h), H̃ = tanh(xp_h + (R⊙H) W_hh), H' = Z⊙H + (1−Z)⊙H̃.
 *
 * The `gates` output exists for the backward only: a gradient arriving at it is ignored, so it
 * must not be used by anything that is differentiated. The op using these kernels is
 * `gruSequence` in @dlpipe/tensor, which runs the same cell as tf ops on other backends.
 *
 *   const [hs, gates] = tf.engine().runKernel(GRU_SEQUENCE, { xp, h0, wh }, { steps: 35 });
 */
import { InvalidArgumentError } from '@dlpipe/core';
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { asAttrMap } from '../../../kernel-args.js';
import * as tf from '../../../tf.js';
import type { NativeAddon } from '../addon.js';
import { GRU_SEQUENCE, GRU_SEQUENCE_GRAD } from './fused-names.js';
import { f32Inputs, type KernelArgs, outArray, output, type TensorInfo } from './util.js';

export { GRU_SEQUENCE, GRU_SEQUENCE_GRAD };

let gradientRegistered = false;

/** Registers the gradient of `DlpipeGruSequence` (global; idempotent). */
export function registerGruSequenceGrad(): void {
  if (gradientRegistered) return;
  gradientRegistered = true;
  tf.registerGradient({
    kernelName: GRU_SEQUENCE,
    inputsToSave: ['h0', 'wh'],
    outputsToSave: [true, true],
    gradFunc: (dys, saved, attrs) => {
      const [h0, wh, hs, gates] = saved as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
      const [dhs] = dys as [tf.Tensor, tf.Tensor];
      const [dxp, dh0, dwh] = tf
        .engine()
        .runKernel(GRU_SEQUENCE_GRAD, { dhs, gates, hs, h0, wh }, asAttrMap(attrs)) as [
        tf.Tensor,
        tf.Tensor,
        tf.Tensor,
      ];
      return { xp: () => dxp, h0: () => dh0, wh: () => dwh };
    },
  });
}

/** T, B, H of a call, checked against every input's shape. */
function geometry(name: string, t: Record<string, TensorInfo>, steps: number) {
  const [rows = 0, threeH = 0] = t.xp?.shape ?? [];
  const [B = 0, H = 0] = t.h0?.shape ?? [];
  const ok =
    Number.isInteger(steps) &&
    steps >= 1 &&
    t.xp?.shape.length === 2 &&
    t.h0?.shape.length === 2 &&
    rows === steps * B &&
    threeH === 3 * H &&
    t.wh?.shape.length === 2 &&
    t.wh.shape[0] === H &&
    t.wh.shape[1] === 3 * H &&
    H > 0 &&
    B > 0;
  if (!ok) {
    throw new InvalidArgumentError(
      `${name}: expected xp [steps·B, 3H], h0 [B, H], wh [H, 3H] with steps ≥ 1; received steps ${steps}, ` +
        `xp [${t.xp?.shape}], h0 [${t.h0?.shape}], wh [${t.wh?.shape}]`,
    );
  }
  return { T: steps, B, H };
}

export function gruSequenceKernels(addon: NativeAddon): Record<string, tf.KernelFunc> {
  registerGruSequenceGrad();

  const forward = (args: KernelArgs) => {
    const backend = args.backend as MathBackendCPU;
    const t = args.inputs as Record<string, TensorInfo>;
    const steps = (args.attrs as { steps: number }).steps;
    const { T, B, H } = geometry(GRU_SEQUENCE, t, steps);
    const v = f32Inputs(GRU_SEQUENCE, backend, t);
    const hs = outArray(backend, T * B * H);
    const gates = outArray(backend, T * B * 3 * H);
    addon.gruSequence(v.xp!, v.h0!, v.wh!, T, B, H, hs, gates);
    return [output(backend, [T * B, H], hs), output(backend, [T * B, 3 * H], gates)];
  };

  const grad = (args: KernelArgs) => {
    const backend = args.backend as MathBackendCPU;
    const t = args.inputs as Record<string, TensorInfo>;
    const steps = (args.attrs as { steps: number }).steps;
    const { T, B, H } = geometry(GRU_SEQUENCE_GRAD, { xp: t.gates!, h0: t.h0!, wh: t.wh! }, steps);
    const v = f32Inputs(GRU_SEQUENCE_GRAD, backend, t);
    const dxp = outArray(backend, T * B * 3 * H);
    const dh0 = outArray(backend, B * H);
    const dwh = outArray(backend, H * 3 * H);
    addon.gruSequenceGrad(v.dhs!, v.gates!, v.hs!, v.h0!, v.wh!, T, B, H, dxp, dh0, dwh);
    return [
      output(backend, [T * B, 3 * H], dxp),
      output(backend, [B, H], dh0),
      output(backend, [H, 3 * H], dwh),
    ];
  };

  return { [GRU_SEQUENCE]: forward, [GRU_SEQUENCE_GRAD]: grad };
}
