/**
 * What the wasm training kernels share: the backend's type, typed inputs, calls into the
 * backend's own kernels, and the geometry of a 2-D convolution.
 *
 *   const backend = args.backend as BackendWasm;
 *   const out = backend.makeOutput(shape, 'float32'); // allocate first: it may grow the heap
 *   const xs = backend.typedArrayFromHeap(x);          // then take views of the heap
 */

import { InvalidArgumentError } from '@dlpipe/core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { BackendError } from '../../errors.js';
import * as tf from '../../tf.js';

export type { BackendWasm };

/** What tfjs passes to a kernel function. */
export type KernelArgs = Parameters<tf.KernelFunc>[0];

export type Shape4 = [number, number, number, number];

/** The input `name` of `kernel`, or an error that names both. */
export function inputOf(args: KernelArgs, name: string, kernel: string): tf.TensorInfo {
  const info = args.inputs[name];
  if (info === undefined) {
    throw new InvalidArgumentError(
      `${kernel} on wasm: input '${name}' is missing; pass it in the kernel's inputs map`,
    );
  }
  return info;
}

/** The shape of `info` as rank 4, or an error saying which tensor was not. */
export function shape4(info: tf.TensorInfo, what: string, kernel: string): Shape4 {
  if (info.shape.length !== 4) {
    throw new InvalidArgumentError(`${kernel} on wasm: ${what} must be rank 4, got shape [${info.shape}]`);
  }
  return info.shape as Shape4;
}

/** Throws unless `info` has the shape the convolution geometry expects. */
export function expectShape(info: tf.TensorInfo, expected: number[], what: string, kernel: string): void {
  if (!tf.util.arraysEqual(info.shape, expected)) {
    throw new InvalidArgumentError(
      `${kernel} on wasm: ${what} has shape [${info.shape}] but the convolution's attributes ` +
        `give [${expected}]; check strides, pad and dimRoundingMode`,
    );
  }
}

/** The convolution attributes of the backprop kernels (conv2d's have no dilations, depthwise ones no data format). */
export type BackpropConvAttrs = Pick<tf.Conv2DBackpropFilterAttrs, 'strides' | 'pad' | 'dimRoundingMode'> & {
  dilations?: [number, number] | number;
  dataFormat?: 'NHWC' | 'NCHW';
};

/** The geometry of a backprop kernel's convolution, with dy's shape checked against it. */
export function backpropConvInfo(
  kernel: string,
  inShape: Shape4,
  filterShape: Shape4,
  attrs: BackpropConvAttrs,
  dy: tf.TensorInfo,
  depthwise: boolean,
): tf.backend_util.Conv2DInfo {
  const info = tf.backend_util.computeConv2DInfo(
    inShape,
    filterShape,
    attrs.strides,
    attrs.dilations ?? 1,
    attrs.pad,
    attrs.dimRoundingMode,
    depthwise,
    tf.backend_util.convertConv2DDataFormat(attrs.dataFormat ?? 'NHWC'),
  );
  expectShape(dy, info.outShape, 'dy', kernel);
  return info;
}

/** Runs another kernel of the wasm backend; the caller owns (and disposes) what it returns. */
export function runWasmKernel(
  backend: BackendWasm,
  kernelName: string,
  inputs: tf.NamedTensorInfoMap,
  attrs: tf.NamedAttrMap,
): tf.TensorInfo {
  const config = tf.getKernel(kernelName, 'wasm');
  if (config === undefined) {
    throw new BackendError(
      `the wasm backend has no ${kernelName} kernel; reinstall @tensorflow/tfjs-backend-wasm`,
      {
        exitCode: 1,
      },
    );
  }
  return config.kernelFunc({ inputs, backend, attrs }) as tf.TensorInfo;
}

/** Frees intermediate results made by `runWasmKernel`. */
export function disposeAll(backend: BackendWasm, infos: readonly tf.TensorInfo[]): void {
  for (const info of infos) backend.disposeData(info.dataId);
}

/** A copy of a rank-4 NCHW array in NHWC order. */
export function nchwToNhwc(src: tf.TypedArray, [n, c, h, w]: Shape4): Float64Array {
  const dst = new Float64Array(src.length);
  const plane = h * w;
  for (let b = 0; b < n; b++) {
    const base = b * c * plane;
    for (let ch = 0; ch < c; ch++) {
      const from = base + ch * plane;
      for (let p = 0; p < plane; p++) dst[base + p * c + ch] = src[from + p]!;
    }
  }
  return dst;
}

/**
 * For each input position `i` along one axis, the taps (output position `o`, filter offset `k`)
 * with `i = o * stride + k * dilation - pad`, in ascending `o`: taps `start[i]` to `start[i + 1]`.
 */
export interface Taps {
  start: Int32Array;
  out: Int32Array;
  tap: Int32Array;
}

export function tapsAlong(
  inSize: number,
  outSize: number,
  filterSize: number,
  stride: number,
  dilation: number,
  pad: number,
): Taps {
  const start = new Int32Array(inSize + 1);
  const out: number[] = [];
  const tap: number[] = [];
  const reach = (filterSize - 1) * dilation;
  for (let i = 0; i < inSize; i++) {
    start[i] = out.length;
    const first = Math.max(0, Math.ceil((i + pad - reach) / stride));
    const last = Math.min(outSize - 1, Math.floor((i + pad) / stride));
    for (let o = first; o <= last; o++) {
      const t = i + pad - o * stride;
      if (t % dilation === 0) {
        out.push(o);
        tap.push(t / dilation);
      }
    }
  }
  start[inSize] = out.length;
  return { start, out: Int32Array.from(out), tap: Int32Array.from(tap) };
}
