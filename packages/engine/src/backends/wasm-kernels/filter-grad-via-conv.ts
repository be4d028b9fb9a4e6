/**
 * The filter gradient of a 2-D convolution as one more convolution, run by the wasm backend's
 * XNNPACK `Conv2D`: with the channels of x as the batch and the batch as the channels,
 *
 *   dW = transpose(conv2d(x^T, dy^T, strides 1, dilations = forward strides), [1, 2, 0, 3])
 *
 * where x^T is [inC, H, W, batch] and dy^T is [outH, outW, batch, outC]. Rows or columns of x
 * that no output reads are sliced off first, so the padding stays non-negative.
 *
 *   const dW = filterGradViaConv(backend, x, dy, convInfo); // null: use the JS loop instead
 */
import type * as tf from '../../tf.js';
import { type BackendWasm, disposeAll, runWasmKernel } from './wasm-heap.js';

type Info = tf.backend_util.Conv2DInfo;

/** dW for float32 `x` and `dy` (NHWC or NCHW), or null for other dtypes and empty geometries. */
export function filterGradViaConv(
  backend: BackendWasm,
  x: tf.TensorInfo,
  dy: tf.TensorInfo,
  info: Info,
): tf.TensorInfo | null {
  if (x.dtype !== 'float32' || dy.dtype !== 'float32' || isEmpty(info)) return null;
  const { inHeight, inWidth, outHeight, outWidth, filterHeight, filterWidth, strideHeight, strideWidth } =
    info;
  const { top, left } = info.padInfo;
  // Padding after the last row (column) that the forward pass reaches; negative: rows unread.
  const bottom = (outHeight - 1) * strideHeight + filterHeight - inHeight - top;
  const right = (outWidth - 1) * strideWidth + filterWidth - inWidth - left;
  const usedHeight = inHeight + Math.min(0, bottom);
  const usedWidth = inWidth + Math.min(0, right);
  if (usedHeight <= 0 || usedWidth <= 0) return null;

  const nhwc = info.dataFormat === 'channelsLast';
  const temps: tf.TensorInfo[] = [];
  try {
    const xUsed = cropped(backend, x, info, usedHeight, usedWidth);
    if (xUsed !== x) temps.push(xUsed);
    const xT = runWasmKernel(
      backend,
      'Transpose',
      { x: xUsed },
      { perm: nhwc ? [3, 1, 2, 0] : [1, 2, 3, 0] },
    );
    temps.push(xT);
    const dyT = runWasmKernel(backend, 'Transpose', { x: dy }, { perm: nhwc ? [1, 2, 0, 3] : [2, 3, 0, 1] });
    temps.push(dyT);
    const conv = runWasmKernel(
      backend,
      'Conv2D',
      { x: xT, filter: dyT },
      {
        strides: [1, 1],
        dilations: [strideHeight, strideWidth],
        pad: [
          [0, 0],
          [top, Math.max(0, bottom)],
          [left, Math.max(0, right)],
          [0, 0],
        ],
        dataFormat: 'NHWC',
      },
    );
    temps.push(conv);
    return runWasmKernel(backend, 'Transpose', { x: conv }, { perm: [1, 2, 0, 3] });
  } finally {
    disposeAll(backend, temps);
  }
}

function isEmpty(info: Info): boolean {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels } = info;
  return [batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels].includes(0);
}

/** `x` without the rows and columns past `usedHeight` and `usedWidth`, or `x` itself. */
function cropped(
  backend: BackendWasm,
  x: tf.TensorInfo,
  info: Info,
  usedHeight: number,
  usedWidth: number,
): tf.TensorInfo {
  if (usedHeight === info.inHeight && usedWidth === info.inWidth) return x;
  const { batchSize, inChannels } = info;
  const size =
    info.dataFormat === 'channelsLast'
      ? [batchSize, usedHeight, usedWidth, inChannels]
      : [batchSize, inChannels, usedHeight, usedWidth];
  return runWasmKernel(backend, 'Slice', { x }, { begin: [0, 0, 0, 0], size });
}
