/**
 * `DepthwiseConv2dNativeBackpropFilter` for the wasm backend (NHWC, as tfjs's depthwise ops):
 * dW[wR, wC, d1, q] = Σ x[b, xR, xC, d1] · dy[b, yR, yC, d1 · chMul + q], xR = yR · stride + wR · dilation - padTop.
 *
 *   registerWasmTrainingKernels();             // from ./index.js
 *   const dW = tf.grads((x, w) => tf.depthwiseConv2d(x, w, 1, 'same').sum())([x, w])[1];
 *
 * Sums in float64 in the cpu backend's order (batch, output row, output column), so dilation 1
 * matches the cpu kernel to the last bit; dilations > 1 are honoured (the cpu kernel skips them).
 */
import * as tf from '../../tf.js';
import { type BackendWasm, expectShape, inputOf, type KernelArgs, shape4 } from './wasm-heap.js';

const KERNEL = tf.DepthwiseConv2dNativeBackpropFilter;

type Values = tf.TypedArray;

export function depthwiseConv2dNativeBackpropFilter(args: KernelArgs): tf.TensorInfo {
  const backend = args.backend as BackendWasm;
  const x = inputOf(args, 'x', KERNEL);
  const dy = inputOf(args, 'dy', KERNEL);
  const { strides, dilations, pad, dimRoundingMode, filterShape } =
    args.attrs as unknown as tf.DepthwiseConv2dNativeBackpropFilterAttrs;
  const info = tf.backend_util.computeConv2DInfo(
    shape4(x, 'x', KERNEL),
    filterShape,
    strides,
    dilations,
    pad,
    dimRoundingMode,
    true,
  );
  expectShape(dy, info.outShape, 'dy', KERNEL);
  const out = backend.makeOutput(filterShape, 'float32');
  const acc = new Float64Array(tf.util.sizeFromShape(filterShape));
  accumulateDepthwiseFilterGrad(backend.typedArrayFromHeap(x), backend.typedArrayFromHeap(dy), info, acc);
  backend.typedArrayFromHeap(out).set(acc);
  return out;
}

/** Adds the depthwise filter gradient into `acc`, laid out [fH, fW, inC · chMul]. */
function accumulateDepthwiseFilterGrad(
  x: Values,
  dy: Values,
  info: tf.backend_util.Conv2DInfo,
  acc: Float64Array,
): void {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels } = info;
  const { filterHeight, filterWidth, strideHeight, strideWidth, dilationHeight, dilationWidth } = info;
  const { top, left } = info.padInfo;
  for (let b = 0; b < batchSize; b++) {
    for (let yR = 0; yR < outHeight; yR++) {
      const xR0 = yR * strideHeight - top;
      for (let yC = 0; yC < outWidth; yC++) {
        const xC0 = yC * strideWidth - left;
        const dyOff = ((b * outHeight + yR) * outWidth + yC) * outChannels;
        for (let wR = 0; wR < filterHeight; wR++) {
          const xR = xR0 + wR * dilationHeight;
          if (xR < 0 || xR >= inHeight) continue;
          const xRowOff = (b * inHeight + xR) * inWidth;
          for (let wC = 0; wC < filterWidth; wC++) {
            const xC = xC0 + wC * dilationWidth;
            if (xC < 0 || xC >= inWidth) continue;
            const xOff = (xRowOff + xC) * inChannels;
            const wOff = (wR * filterWidth + wC) * outChannels;
            addPixel(x, xOff, dy, dyOff, acc, wOff, inChannels, outChannels);
          }
        }
      }
    }
  }
}

/** acc[wOff + d1 · chMul + q] += x[xOff + d1] · dy[dyOff + d1 · chMul + q] for every channel. */
function addPixel(
  x: Values,
  xOff: number,
  dy: Values,
  dyOff: number,
  acc: Float64Array,
  wOff: number,
  inChannels: number,
  outChannels: number,
): void {
  if (inChannels === outChannels) {
    for (let d = 0; d < inChannels; d++) acc[wOff + d]! += x[xOff + d]! * dy[dyOff + d]!;
    return;
  }
  const chMul = outChannels / inChannels;
  for (let d1 = 0; d1 < inChannels; d1++) {
    const xv = x[xOff + d1]!;
    const k = d1 * chMul;
    for (let q = 0; q < chMul; q++) acc[wOff + k + q]! += xv * dy[dyOff + k + q]!;
  }
}
