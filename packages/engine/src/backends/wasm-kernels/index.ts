/**
 * The kernels `@tensorflow/tfjs-backend-wasm` 4.22 lacks for training: the filter gradient of
 * conv2d, both gradients of depthwiseConv2d, and the gradient of gather (UnsortedSegmentSum).
 *
 *   await import('@tensorflow/tfjs-backend-wasm');
 *   registerWasmTrainingKernels();   // before tf.setBackend('wasm'); calling it again is harmless
 *   await tf.setBackend('wasm');
 */
import * as tf from '../../tf.js';
import { conv2DBackpropFilter } from './conv2d-backprop-filter.js';
import { depthwiseConv2dNativeBackpropFilter } from './depthwise-backprop-filter.js';
import { depthwiseConv2dNativeBackpropInput } from './depthwise-backprop-input.js';
import { unsortedSegmentSum } from './unsorted-segment-sum.js';

/** Kernel name → its wasm implementation. */
export const WASM_TRAINING_KERNELS: Readonly<Record<string, tf.KernelFunc>> = {
  [tf.Conv2DBackpropFilter]: conv2DBackpropFilter,
  [tf.DepthwiseConv2dNativeBackpropFilter]: depthwiseConv2dNativeBackpropFilter,
  [tf.DepthwiseConv2dNativeBackpropInput]: depthwiseConv2dNativeBackpropInput,
  [tf.UnsortedSegmentSum]: unsortedSegmentSum,
};

/** Registers each kernel of `WASM_TRAINING_KERNELS` that 'wasm' does not have yet. */
export function registerWasmTrainingKernels(): void {
  for (const [kernelName, kernelFunc] of Object.entries(WASM_TRAINING_KERNELS)) {
    if (tf.getKernel(kernelName, 'wasm') === undefined) {
      tf.registerKernel({ kernelName, backendName: 'wasm', kernelFunc });
    }
  }
}
