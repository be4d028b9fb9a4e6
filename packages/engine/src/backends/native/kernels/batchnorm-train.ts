/**
 * Batch normalization in training mode as two native kernels, the way PyTorch's
 * native_batch_norm does it: `DlpipeBatchNormTrain` (x, scale, offset → y, batch mean, batch
 * variance) and its gradient `DlpipeBatchNormTrainGrad` (→ dx, dscale, doffset). tfjs-layers
 * builds the same thing from moments + batchNorm, about 50 kernels per layer per step with their
 * gradients. The op that uses them is `batchNormTrain` (layers/batch-norm.ts), which falls back
 * to those tfjs ops on backends without the kernel.
 *
 *   tf.engine().runKernel(BATCH_NORM_TRAIN, { x, scale, offset }, { varianceEpsilon: 1e-5 });
 */

import { InvalidArgumentError } from '@dlpipe/core';
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { asAttrMap, inputsOf } from '../../../kernel-args.js';
import * as tf from '../../../tf.js';
import type { NativeAddon } from '../addon.js';
import { BATCH_NORM_TRAIN, BATCH_NORM_TRAIN_GRAD } from './fused-names.js';
import { f32, type KernelArgs, outArray, output, type TensorInfo } from './util.js';

export { BATCH_NORM_TRAIN, BATCH_NORM_TRAIN_GRAD };

/** The kernel's inputs: x (rank ≥ 1, channels last) and per-channel scale and offset. */
export interface BatchNormTrainInputs {
  x: TensorInfo;
  scale: TensorInfo;
  offset: TensorInfo;
}

function channels(x: TensorInfo): number {
  return x.shape[x.shape.length - 1] ?? 0;
}

let gradientRegistered = false;

/** Registers the gradient of `DlpipeBatchNormTrain` (global; idempotent). */
export function registerBatchNormTrainGrad(): void {
  if (gradientRegistered) return;
  gradientRegistered = true;
  tf.registerGradient({
    kernelName: BATCH_NORM_TRAIN,
    inputsToSave: ['x', 'scale'],
    outputsToSave: [false, true, true],
    gradFunc: (dys, saved, attrs) => {
      const [x, scale, mean, variance] = saved as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
      const [dy, dMean, dVariance] = dys as [tf.Tensor, tf.Tensor, tf.Tensor];
      const [dx, dScale, dOffset] = tf
        .engine()
        .runKernel(
          BATCH_NORM_TRAIN_GRAD,
          { dy, x, mean, variance, scale, dMean, dVariance },
          asAttrMap(attrs),
        ) as [tf.Tensor, tf.Tensor, tf.Tensor];
      return { x: () => dx, scale: () => dScale, offset: () => dOffset };
    },
  });
}

export function batchNormTrainKernels(addon: NativeAddon): Record<string, tf.KernelFunc> {
  registerBatchNormTrainGrad();

  const forward = (args: KernelArgs) => {
    const backend = args.backend as MathBackendCPU;
    const { x, scale, offset } = inputsOf<BatchNormTrainInputs>(args.inputs);
    const eps = (args.attrs as { varianceEpsilon: number }).varianceEpsilon;
    const c = channels(x);
    const [xv, sv, ov] = [x, scale, offset].map((t) => f32(backend, t));
    if (!xv || !sv || !ov || c === 0 || sv.length !== c || ov.length !== c || xv.length === 0) {
      throw new InvalidArgumentError(
        `${BATCH_NORM_TRAIN}: needs float32 x with C > 0 channels and C-value scale/offset; received x [${x.shape}] ${x.dtype}, scale [${scale.shape}], offset [${offset.shape}]`,
      );
    }
    const y = outArray(backend, xv.length);
    const mean = new Float32Array(c);
    const variance = new Float32Array(c);
    addon.batchNormTrain(xv, sv, ov, c, eps, y, mean, variance);
    return [output(backend, [...x.shape], y), output(backend, [c], mean), output(backend, [c], variance)];
  };

  const grad = (args: KernelArgs) => {
    const backend = args.backend as MathBackendCPU;
    const t = args.inputs as Record<string, TensorInfo>;
    const eps = (args.attrs as { varianceEpsilon: number }).varianceEpsilon;
    const v = Object.fromEntries(Object.entries(t).map(([k, info]) => [k, f32(backend, info)]));
    const c = channels(t.x!);
    if (!v.dy || !v.x || !v.mean || !v.variance || !v.scale || !v.dMean || !v.dVariance) {
      throw new InvalidArgumentError(
        `${BATCH_NORM_TRAIN_GRAD}: all inputs must be float32; received ${Object.entries(t)
          .map(([k, i]) => `${k} ${i.dtype}`)
          .join(', ')}`,
      );
    }
    const dx = outArray(backend, v.x.length);
    const dScale = new Float32Array(c);
    const dOffset = new Float32Array(c);
    addon.batchNormTrainGrad(
      v.dy,
      v.x,
      v.mean,
      v.variance,
      v.scale,
      v.dMean,
      v.dVariance,
      c,
      eps,
      dx,
      dScale,
      dOffset,
    );
    return [
      output(backend, [...t.x!.shape], dx),
      output(backend, [c], dScale),
      output(backend, [c], dOffset),
    ];
  };

  return { [BATCH_NORM_TRAIN]: forward, [BATCH_NORM_TRAIN_GRAD]: grad };
}
