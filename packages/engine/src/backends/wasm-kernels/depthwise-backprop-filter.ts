/**
 * `DepthwiseConv2dNativeBackpropFilter` for the wasm backend (NHWC, as tfjs's depthwise ops):
 * dW[wR, wC, d1, q] = Σ x[b, xR, xC, d1] · dy[b, yR, yC, d1 · chMul + q], xR = yR · stride + wR · dilation - padTop.
 *
 *   registerWasmTrainingKernels();             // from ./index.js
 *   const dW = tf.grads((x, w) => tf.depthwiseConv2d(x, w, 1, 'same').sum())([x, w])[1];
 *
 * The JS loop of conv2d's filter gradient (`filterGradInJs`), per channel: sums in float64 in the
 * cpu backend's order, so dilation 1 matches the cpu kernel to the last bit; dilations > 1 are
 * honoured (the cpu kernel skips them).
 */

import { attrsOf } from '../../kernel-args.js';
import * as tf from '../../tf.js';
import { filterGradInJs } from './filter-grad-in-js.js';
import { type BackendWasm, backpropConvInfo, inputOf, type KernelArgs, shape4 } from './wasm-heap.js';

const KERNEL = tf.DepthwiseConv2dNativeBackpropFilter;

export function depthwiseConv2dNativeBackpropFilter(args: KernelArgs): tf.TensorInfo {
  const x = inputOf(args, 'x', KERNEL);
  const dy = inputOf(args, 'dy', KERNEL);
  const attrs = attrsOf<tf.DepthwiseConv2dNativeBackpropFilterAttrs>(args.attrs);
  const info = backpropConvInfo(KERNEL, shape4(x, 'x', KERNEL), attrs.filterShape, attrs, dy, true);
  return filterGradInJs(args.backend as BackendWasm, x, dy, info, true);
}
