/**
 * Dropout as one native kernel (dropout.cc): `DlpipeDropout` (x → y = x·mask, mask) with attrs
 * `rate` and `seed`; the mask is 0 or 1/(1−rate) from a counter-based generator, so a seed gives
 * the same mask on any thread count and on the cpu backend (whose JavaScript twin, the gradient
 * dy·mask and the op `tf.dropout` are in fusion/dropout.ts).
 *
 *   const [y] = tf.engine().runKernel(DROPOUT, { x }, { rate: 0.1, seed: 42 });
 */
import { InvalidArgumentError } from '@dlpipe/core';
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { registerDropoutGrad } from '../../../fusion/dropout.js';
import type * as tf from '../../../tf.js';
import type { NativeAddon } from '../addon.js';
import { DROPOUT } from './fused-names.js';
import { f32, type KernelArgs, outArray, output, type TensorInfo } from './util.js';

export { DROPOUT, registerDropoutGrad };

export function dropoutKernels(addon: NativeAddon): Record<string, tf.KernelFunc> {
  registerDropoutGrad();
  return {
    [DROPOUT]: (args: KernelArgs) => {
      const backend = args.backend as MathBackendCPU;
      const { x } = args.inputs as Record<string, TensorInfo>;
      const { rate, seed } = args.attrs as { rate: number; seed: number };
      const xv = f32(backend, x!);
      if (!xv || !(rate >= 0 && rate < 1) || !Number.isFinite(seed)) {
        throw new InvalidArgumentError(
          `${DROPOUT}: needs float32 x, rate in [0, 1) and a finite seed; received ${x?.dtype}, rate ${rate}, seed ${seed}`,
        );
      }
      const y = outArray(backend, xv.length);
      const mask = outArray(backend, xv.length);
      addon.dropout(xv, rate, seed, y, mask);
      return [output(backend, [...x!.shape], y), output(backend, [...x!.shape], mask)];
    },
  };
}
