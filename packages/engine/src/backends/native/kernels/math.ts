/**
 * Group A of the native kernels, "math": unary and activation kernels, broadcasting binary ops,
 * reductions, softmax, the fused activation gradients, and the gradient overrides that use them
 * (activation-grad-registry.ts, reduce-grads.ts).
 *
 *   const kernels = mathKernels(addon);   // { Relu, Add, Sum, Softmax, DlpipeReluGrad, … }
 */
import type * as tf from '../../../tf.js';
import type { NativeAddon } from '../addon.js';
import { registerActivationGrads } from './activation-grad-registry.js';
import { nativeActivationGradKernels } from './activation-grads.js';
import { binaryKernels } from './binary.js';
import { eltwiseKernels } from './eltwise.js';
import { reduceKernels } from './reduce.js';
import { registerReduceGrads } from './reduce-grads.js';
import { softmaxKernels } from './softmax.js';

export function mathKernels(addon: NativeAddon): Record<string, tf.KernelFunc> {
  registerActivationGrads();
  registerReduceGrads();
  return {
    ...eltwiseKernels(addon),
    ...binaryKernels(addon),
    ...reduceKernels(addon),
    ...softmaxKernels(addon),
    ...nativeActivationGradKernels(addon),
  };
}
