/**
 * `Conv2DBackpropFilter` for the wasm backend: dW[wR, wC, d1, d2] = Σ x[b, xR, xC, d1] · dy[b, yR, yC, d2]
 * over the batch and every output position, with xR = yR · strideHeight + wR - padTop (NHWC or NCHW).
 *
 *   registerWasmTrainingKernels();             // from ./index.js
 *   const dW = tf.grads((x, w) => tf.conv2d(x, w, 1, 'same').sum())([x, w])[1];
 *
 * Float32 inputs with work to do go through the backend's own XNNPACK convolution
 * (`filterGradViaConv`); the rest, in JS, sums in float64 in the cpu backend's order.
 */
import * as tf from '../../tf.js';
import { filterGradViaConv } from './filter-grad-via-conv.js';
import { type BackendWasm, expectShape, inputOf, type KernelArgs, nchwToNhwc, shape4 } from './wasm-heap.js';

const KERNEL = tf.Conv2DBackpropFilter;

/** Multiply-adds below which the JS loop beats the calls into the wasm convolution. */
const MIN_WORK_FOR_CONV = 16_384;

type Values = tf.TypedArray | Float64Array;

export function conv2DBackpropFilter(args: KernelArgs): tf.TensorInfo {
  const backend = args.backend as BackendWasm;
  const x = inputOf(args, 'x', KERNEL);
  const dy = inputOf(args, 'dy', KERNEL);
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } =
    args.attrs as unknown as tf.Conv2DBackpropFilterAttrs;
  const info = tf.backend_util.computeConv2DInfo(
    shape4(x, 'x', KERNEL),
    filterShape,
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    tf.backend_util.convertConv2DDataFormat(dataFormat),
  );
  expectShape(dy, info.outShape, 'dy', KERNEL);
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

/** dW by the JS loop (any dtype, NHWC or NCHW). */
export function filterGradInJs(
  backend: BackendWasm,
  x: tf.TensorInfo,
  dy: tf.TensorInfo,
  info: tf.backend_util.Conv2DInfo,
): tf.TensorInfo {
  const out = backend.makeOutput(info.filterShape, 'float32');
  const acc = new Float64Array(tf.util.sizeFromShape(info.filterShape));
  let xs: Values = backend.typedArrayFromHeap(x);
  let dys: Values = backend.typedArrayFromHeap(dy);
  if (info.dataFormat === 'channelsFirst') {
    xs = nchwToNhwc(xs, info.inShape);
    dys = nchwToNhwc(dys, info.outShape);
  }
  accumulateFilterGrad(xs, dys, info, acc);
  backend.typedArrayFromHeap(out).set(acc);
  return out;
}

/** Adds x ⊗ dy into `acc` ([fH, fW, inC, outC]); x and dy in NHWC, sums in (b, yR, yC) order. */
export function accumulateFilterGrad(
  x: Values,
  dy: Values,
  info: tf.backend_util.Conv2DInfo,
  acc: Float64Array,
): void {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels } = info;
  const { filterHeight, filterWidth, strideHeight, strideWidth, dilationHeight, dilationWidth } = info;
  const { top, left } = info.padInfo;
  const filterStride = inChannels * outChannels;
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
            const wOff = (wR * filterWidth + wC) * filterStride;
            for (let d1 = 0; d1 < inChannels; d1++) {
              const xv = x[xOff + d1]!;
              const o = wOff + d1 * outChannels;
              for (let d2 = 0; d2 < outChannels; d2++) acc[o + d2]! += xv * dy[dyOff + d2]!;
            }
          }
        }
      }
    }
  }
}
