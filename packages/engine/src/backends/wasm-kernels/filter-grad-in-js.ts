/**
 * The filter gradient of conv2d and of depthwiseConv2d by a JS loop: dW[wR, wC, d1, j] = Σ over
 * the batch and every output position of x[b, xR, xC, d1] · dy[b, yR, yC, c], with c = j for
 * conv2d and c = d1 · chMul + j for depthwise, xR = yR · strideHeight + wR · dilation - padTop.
 *
 *   const info = backpropConvInfo(kernel, xShape, filterShape, attrs, dy, true); // ./wasm-heap.js
 *   const dW = filterGradInJs(backend, x, dy, info, true);
 *
 * Sums in float64 in the cpu backend's order (batch, output row, output column), so dilation 1
 * matches the cpu kernels to the last bit; dilations > 1 are honoured (the cpu depthwise kernel skips them).
 */
import * as tf from '../../tf.js';
import { type BackendWasm, nchwToNhwc } from './wasm-heap.js';

type Values = tf.TypedArray | Float64Array;

/** dW by the JS loop (any dtype; conv2d in NHWC or NCHW, depthwise in NHWC). */
export function filterGradInJs(
  backend: BackendWasm,
  x: tf.TensorInfo,
  dy: tf.TensorInfo,
  info: tf.backend_util.Conv2DInfo,
  depthwise = false,
): tf.TensorInfo {
  const out = backend.makeOutput(info.filterShape, 'float32');
  const acc = new Float64Array(tf.util.sizeFromShape(info.filterShape));
  let xs: Values = backend.typedArrayFromHeap(x);
  let dys: Values = backend.typedArrayFromHeap(dy);
  if (info.dataFormat === 'channelsFirst') {
    xs = nchwToNhwc(xs, info.inShape);
    dys = nchwToNhwc(dys, info.outShape);
  }
  accumulateFilterGrad(xs, dys, info, acc, depthwise);
  backend.typedArrayFromHeap(out).set(acc);
  return out;
}

/** Adds x ⊗ dy into `acc` ([fH, fW, inC, outC] or, depthwise, [fH, fW, inC, chMul]); x and dy in NHWC. */
export function accumulateFilterGrad(
  x: Values,
  dy: Values,
  info: tf.backend_util.Conv2DInfo,
  acc: Float64Array,
  depthwise: boolean,
): void {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels } = info;
  const { filterHeight, filterWidth, strideHeight, strideWidth, dilationHeight, dilationWidth } = info;
  const { top, left } = info.padInfo;
  const width = depthwise ? outChannels / inChannels : outChannels; // filter values per input channel
  const shape = { inChannels, width, dyStep: depthwise ? width : 0 };
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
            const wOff = (wR * filterWidth + wC) * inChannels * width;
            addPixel(x, xOff, dy, dyOff, acc, wOff, shape);
          }
        }
      }
    }
  }
}

/**
 * One (input pixel, output pixel) pair into the filter tap at `wOff`: for every input channel d1,
 * acc[wOff + d1 · width + j] += x[xOff + d1] · dy[dyOff + d1 · dyStep + j], j < width
 * (conv2d: width outC, dyStep 0; depthwise: width chMul, dyStep chMul).
 */
function addPixel(
  x: Values,
  xOff: number,
  dy: Values,
  dyOff: number,
  acc: Float64Array,
  wOff: number,
  shape: { inChannels: number; width: number; dyStep: number },
): void {
  const { inChannels, width, dyStep } = shape;
  if (width === 1 && dyStep === 1) {
    for (let d = 0; d < inChannels; d++) acc[wOff + d]! += x[xOff + d]! * dy[dyOff + d]!;
    return;
  }
  for (let d1 = 0; d1 < inChannels; d1++) {
    const xv = x[xOff + d1]!;
    const o = wOff + d1 * width;
    const dyo = dyOff + d1 * dyStep;
    for (let j = 0; j < width; j++) acc[o + j]! += xv * dy[dyo + j]!;
  }
}
