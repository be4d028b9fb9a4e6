/**
 * `Conv2DBackpropFilter` for the wasm backend: dW[wR, wC, d1, d2] = Σ x[b, xR, xC, d1] · dy[b, yR, yC, d2]
 * over the batch and every output position, with xR = yR · strideHeight + wR - padTop (NHWC or NCHW).
 *
 *   registerWasmTrainingKernels();             // from ./index.js
 *   const dW = tf.grads((x, w) => tf.conv2d(x, w, 1, 'same').sum())([x, w])[1];
 *
 * Float32 inputs with work to do go through the backend's own XNNPACK convolution
 * (`filterGradViaConv`); the rest, in JS (`filterGradInJs`), sums in float64 in the cpu backend's order.
 */

import { attrsOf } from '../../kernel-args.js';
import * as tf from '../../tf.js';
import { filterGradInJs } from './filter-grad-in-js.js';
import { filterGradViaConv } from './filter-grad-via-conv.js';
import { type BackendWasm, backpropConvInfo, inputOf, type KernelArgs, shape4 } from './wasm-heap.js';

const KERNEL = tf.Conv2DBackpropFilter;

/** Multiply-adds below which the JS loop beats the calls into the wasm convolution. */
const MIN_WORK_FOR_CONV = 16_384;

export function conv2DBackpropFilter(args: KernelArgs): tf.TensorInfo {
  const backend = args.backend as BackendWasm;
  const x = inputOf(args, 'x', KERNEL);
  const dy = inputOf(args, 'dy', KERNEL);
  const attrs = attrsOf<tf.Conv2DBackpropFilterAttrs>(args.attrs);
  const info = backpropConvInfo(KERNEL, shape4(x, 'x', KERNEL), attrs.filterShape, attrs, dy, false);
  if (multiplyAdds(info) >= MIN_WORK_FOR_CONV) {
    const out = filterGradViaConv(backend, x, dy, info);
    if (out !== null) return out;
  }
  return filterGradInJs(backend, x, dy, info);
}

function multiplyAdds(info: tf.backend_util.Conv2DInfo): number {
  const { batchSize, outHeight, outWidth, filterHeight, filterWidth, inChannels, outChannels } = info;
  return batchSize * outHeight * outWidth * filterHeight * filterWidth * inChannels * outChannels;
}
