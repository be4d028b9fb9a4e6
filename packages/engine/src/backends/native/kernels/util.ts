/**
 * Helpers for native kernels: typed views of a cpu-backend tensor's storage, output allocation,
 * and falling back to the cpu kernel for cases the native kernel does not cover.
 */

import { InvalidArgumentError } from '@dlpipe/core';
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { BackendError } from '../../../errors.js';
import * as tf from '../../../tf.js';
import { type FallbackReason, noteFallback } from '../dispatch-counts.js';
import { poolOf } from '../native-backend.js';

export type KernelArgs = Parameters<tf.KernelFunc>[0];
export type TensorInfo = tf.TensorInfo;

/** The float32 values of a tensor, without copying; undefined for other dtypes or storage. */
export function f32(backend: MathBackendCPU, t: TensorInfo): Float32Array | undefined {
  if (t.dtype !== 'float32') return undefined;
  const v = backend.data.get(t.dataId)?.values;
  return v instanceof Float32Array ? v : undefined;
}

/**
 * The float32 storage of every named input, or InvalidArgumentError naming the kernel and the
 * input that is not float32 (for dlpipe's own kernels, which have no cpu kernel to fall back to).
 */
export function f32Inputs(
  kernel: string,
  backend: MathBackendCPU,
  inputs: Record<string, TensorInfo>,
): Record<string, Float32Array> {
  const out: Record<string, Float32Array> = {};
  for (const [k, info] of Object.entries(inputs)) {
    const v = f32(backend, info);
    if (!v) throw new InvalidArgumentError(`${kernel}: ${k} must be float32, received ${info.dtype}`);
    out[k] = v;
  }
  return out;
}

export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/**
 * Storage for a float32 output of `length` elements that the kernel writes in full: an array
 * reused from the native backend's pool (stale contents), else a fresh one.
 */
export function outArray(backend: MathBackendCPU, length: number): Float32Array {
  return poolOf(backend)?.take(length) ?? new Float32Array(length);
}

/** Like `outArray`, but zeroed: for kernels that accumulate into their output. */
export function zeroArray(backend: MathBackendCPU, length: number): Float32Array {
  return poolOf(backend)?.takeZeroed(length) ?? new Float32Array(length);
}

/** A new float32 tensor owning `values`. */
export function output(backend: MathBackendCPU, shape: number[], values: Float32Array): TensorInfo {
  return backend.makeTensorInfo(shape, 'float32', values);
}

/**
 * Hands this call to tfjs's cpu kernel (same storage, so no copy) and counts it as a fallback of
 * the native kernel now running, with `reason` (dispatch-counts.ts).
 */
export function fallback(
  kernelName: string,
  args: KernelArgs,
  reason: FallbackReason,
): TensorInfo | TensorInfo[] {
  noteFallback(reason);
  return cpuKernel(kernelName, args);
}

/** Runs tfjs's cpu kernel as a step of a native kernel (not counted as a fallback). */
export function cpuKernel(kernelName: string, args: KernelArgs): TensorInfo | TensorInfo[] {
  const k = tf.getKernel(kernelName, 'cpu');
  if (!k) {
    throw new BackendError(
      `no cpu kernel '${kernelName}' to fall back to; reinstall the pinned @tensorflow/tfjs-backend-cpu (pnpm install)`,
      { exitCode: 1 },
    );
  }
  return k.kernelFunc(args);
}

/** Activation names of fused kernels → the addon's codes (native/src/fused.h). */
export const ACTIVATION_CODES: Record<string, number> = {
  linear: 0,
  relu: 1,
  relu6: 2,
  elu: 3,
  sigmoid: 4,
  leakyrelu: 5,
};

/** Why `f32` gave no values for one of `ts`: a dtype other than float32, else its storage. */
export function whyNotF32(...ts: Array<TensorInfo | undefined>): 'dtype' | 'storage' {
  return ts.some((t) => t !== undefined && t.dtype !== 'float32') ? 'dtype' : 'storage';
}
