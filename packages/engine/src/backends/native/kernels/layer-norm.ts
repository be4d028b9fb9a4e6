/**
 * Layer normalization over the last axis as two native kernels (layernorm.cc), as PyTorch's
 * native_layer_norm: `DlpipeLayerNorm` (x, gamma [C], beta [C] → y, each row's mean and 1/σ) and
 * `DlpipeLayerNormGrad` (→ dx, dgamma, dbeta) — against about 11 tfjs kernels forward and 20
 * backward for moments, subtract, divide, scale and shift. The op is `layerNorm` in
 * @dlpipe/tensor; the mean and 1/σ outputs are for the backward only (gradients arriving at them
 * are ignored).
 *
 *   const [y] = tf.engine().runKernel(LAYER_NORM, { x, gamma, beta }, { epsilon: 1e-5 });
 */
import { InvalidArgumentError } from '@dlpipe/core';
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { asAttrMap } from '../../../kernel-args.js';
import * as tf from '../../../tf.js';
import type { NativeAddon } from '../addon.js';
import { LAYER_NORM, LAYER_NORM_GRAD } from './fused-names.js';
import { f32Inputs, type KernelArgs, outArray, output, type TensorInfo } from './util.js';

export { LAYER_NORM, LAYER_NORM_GRAD };

let gradientRegistered = false;

/** Registers the gradient of `DlpipeLayerNorm` (global; idempotent). */
export function registerLayerNormGrad(): void {
  if (gradientRegistered) return;
  gradientRegistered = true;
  tf.registerGradient({
    kernelName: LAYER_NORM,
    inputsToSave: ['x', 'gamma'],
    outputsToSave: [false, true, true],
    gradFunc: (dys, saved, attrs) => {
      const [x, gamma, mean, rstd] = saved as tf.Tensor[];
      const [dy] = dys as tf.Tensor[];
      const [dx, dGamma, dBeta] = tf
        .engine()
        .runKernel(
          LAYER_NORM_GRAD,
          { dy: dy!, x: x!, mean: mean!, rstd: rstd!, gamma: gamma! },
          asAttrMap(attrs),
        ) as tf.Tensor[];
      return { x: () => dx!, gamma: () => dGamma!, beta: () => dBeta! };
    },
  });
}

function checked(name: string, backend: MathBackendCPU, t: Record<string, TensorInfo>) {
  const x = t.x!;
  const C = x.shape[x.shape.length - 1] ?? 0;
  const out = f32Inputs(name, backend, t);
  if (C === 0 || out.gamma?.length !== C || (out.beta && out.beta.length !== C)) {
    throw new InvalidArgumentError(
      `${name}: expected x [..., C] with C > 0 and gamma/beta [C]; received x [${x.shape}], gamma [${t.gamma?.shape}]`,
    );
  }
  return { v: out, C, rows: out.x!.length / C };
}

export function layerNormKernels(addon: NativeAddon): Record<string, tf.KernelFunc> {
  registerLayerNormGrad();

  const forward = (args: KernelArgs) => {
    const backend = args.backend as MathBackendCPU;
    const t = args.inputs as Record<string, TensorInfo>;
    const eps = (args.attrs as { epsilon: number }).epsilon;
    const { v, C, rows } = checked(LAYER_NORM, backend, t);
    const y = outArray(backend, rows * C);
    const mean = new Float32Array(rows);
    const rstd = new Float32Array(rows);
    addon.layerNorm(v.x!, v.gamma!, v.beta!, C, eps, y, mean, rstd);
    return [
      output(backend, [...t.x!.shape], y),
      output(backend, [rows], mean),
      output(backend, [rows], rstd),
    ];
  };

  const grad = (args: KernelArgs) => {
    const backend = args.backend as MathBackendCPU;
    const t = args.inputs as Record<string, TensorInfo>;
    const { v, C, rows } = checked(LAYER_NORM_GRAD, backend, t);
    const dx = outArray(backend, rows * C);
    const dGamma = new Float32Array(C);
    const dBeta = new Float32Array(C);
    addon.layerNormGrad(v.dy!, v.x!, v.mean!, v.rstd!, v.gamma!, C, dx, dGamma, dBeta);
    return [output(backend, [...t.x!.shape], dx), output(backend, [C], dGamma), output(backend, [C], dBeta)];
  };

  return { [LAYER_NORM]: forward, [LAYER_NORM_GRAD]: grad };
}
