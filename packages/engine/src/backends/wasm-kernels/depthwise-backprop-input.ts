/**
 * `DepthwiseConv2dNativeBackpropInput` for the wasm backend (NHWC, as tfjs's depthwise ops):
 * dx[b, xR, xC, d1] = Σ dy[b, yR, yC, d1 · chMul + q] · w[wR, wC, d1, q] over the taps with
 * xR = yR · stride + wR · dilation - padTop (and the same for columns).
 *
 *   registerWasmTrainingKernels();             // from ./index.js
 *   const dx = tf.grad((x) => tf.depthwiseConv2d(x, w, 2, 'same').sum())(x);
 *
 * Gathers per input pixel in float64, taps in ascending output position as the cpu backend does,
 * so dilation 1 matches the cpu kernel to the last bit; dilations > 1 are honoured (cpu skips them).
 */

import { attrsOf } from '../../kernel-args.js';
import * as tf from '../../tf.js';
import {
  type BackendWasm,
  backpropConvInfo,
  inputOf,
  type KernelArgs,
  shape4,
  type Taps,
  tapsAlong,
} from './wasm-heap.js';

const KERNEL = tf.DepthwiseConv2dNativeBackpropInput;

type Values = tf.TypedArray;

export function depthwiseConv2dNativeBackpropInput(args: KernelArgs): tf.TensorInfo {
  const backend = args.backend as BackendWasm;
  const dy = inputOf(args, 'dy', KERNEL);
  const filter = inputOf(args, 'filter', KERNEL);
  const attrs = attrsOf<tf.DepthwiseConv2dNativeBackpropInputAttrs>(args.attrs);
  const info = backpropConvInfo(KERNEL, attrs.inputShape, shape4(filter, 'filter', KERNEL), attrs, dy, true);
  const out = backend.makeOutput(info.inShape, 'float32');
  const dys = backend.typedArrayFromHeap(dy);
  const ws = backend.typedArrayFromHeap(filter);
  inputGrad(dys, ws, info, backend.typedArrayFromHeap(out));
  return out;
}

/** Writes every element of `dx` ([b, H, W, inC]). */
function inputGrad(dy: Values, w: Values, info: tf.backend_util.Conv2DInfo, dx: Values): void {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels } = info;
  const { filterHeight, filterWidth, strideHeight, strideWidth, dilationHeight, dilationWidth } = info;
  const rows = tapsAlong(inHeight, outHeight, filterHeight, strideHeight, dilationHeight, info.padInfo.top);
  const cols = tapsAlong(inWidth, outWidth, filterWidth, strideWidth, dilationWidth, info.padInfo.left);
  const acc = new Float64Array(inChannels);
  for (let b = 0; b < batchSize; b++) {
    for (let xR = 0; xR < inHeight; xR++) {
      for (let xC = 0; xC < inWidth; xC++) {
        acc.fill(0);
        for (let r = rows.start[xR]!; r < rows.start[xR + 1]!; r++) {
          const dyRowOff = (b * outHeight + rows.out[r]!) * outWidth;
          const wRowOff = rows.tap[r]! * filterWidth;
          addRow(dy, dyRowOff, w, wRowOff, cols, xC, acc, outChannels);
        }
        const dxOff = ((b * inHeight + xR) * inWidth + xC) * inChannels;
        for (let d = 0; d < inChannels; d++) dx[dxOff + d] = acc[d]!;
      }
    }
  }
}

/** Adds the taps of one filter row (every column tap of input column `xC`) into `acc`. */
function addRow(
  dy: Values,
  dyRowOff: number,
  w: Values,
  wRowOff: number,
  cols: Taps,
  xC: number,
  acc: Float64Array,
  outChannels: number,
): void {
  const inChannels = acc.length;
  const chMul = outChannels / inChannels;
  for (let c = cols.start[xC]!; c < cols.start[xC + 1]!; c++) {
    const dyOff = (dyRowOff + cols.out[c]!) * outChannels;
    const wOff = (wRowOff + cols.tap[c]!) * outChannels;
    if (chMul === 1) {
      for (let d = 0; d < inChannels; d++) acc[d]! += dy[dyOff + d]! * w[wOff + d]!;
      continue;
    }
    for (let d1 = 0; d1 < inChannels; d1++) {
      const k = d1 * chMul;
      let sum = acc[d1]!;
      for (let q = 0; q < chMul; q++) sum += dy[dyOff + k + q]! * w[wOff + k + q]!;
      acc[d1] = sum;
    }
  }
}
