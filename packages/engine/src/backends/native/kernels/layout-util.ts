/**
 * Storage access for the layout kernels: the typed array of a float32, int32 or bool tensor
 * (which the addon moves by element size), and empty outputs that need no native call.
 *
 *   const xv = raw(backend, x);   // Float32Array | Int32Array | Uint8Array, or undefined
 */

import { InvalidArgumentError } from '@dlpipe/core';
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import type * as tf from '../../../tf.js';
import type { LayoutArray } from '../addon.js';
import { outArray, type TensorInfo, zeroArray } from './util.js';

const STORAGE: Record<string, new (n: number) => LayoutArray> = {
  float32: Float32Array,
  int32: Int32Array,
  bool: Uint8Array,
};

/** The values of a float32, int32 or bool tensor, without copying; undefined otherwise. */
export function raw(backend: MathBackendCPU, t: TensorInfo): LayoutArray | undefined {
  const Kind = STORAGE[t.dtype];
  const v = backend.data.get(t.dataId)?.values;
  return Kind && v instanceof Kind ? v : undefined;
}

/**
 * An array for a tensor of `dtype` and `size` elements (float32, int32 or bool). With `backend`,
 * a float32 array may come from the native backend's pool with stale contents, so the kernel
 * must write every element ('stale'), or asks for zeros ('zeroed'); without it, a fresh zeroed one.
 */
export function alloc(
  dtype: tf.DataType,
  size: number,
  reuse?: { backend: MathBackendCPU; contents: 'stale' | 'zeroed' },
): LayoutArray {
  if (reuse && dtype === 'float32') {
    return reuse.contents === 'zeroed' ? zeroArray(reuse.backend, size) : outArray(reuse.backend, size);
  }
  const Kind = STORAGE[dtype];
  if (!Kind) {
    throw new InvalidArgumentError(
      `native layout kernels: no storage for dtype ${dtype}; they take float32, int32 or bool (cast first)`,
    );
  }
  return new Kind(size);
}

/** A new tensor of `dtype` owning `values`. */
export function outputOf(
  backend: MathBackendCPU,
  shape: number[],
  dtype: tf.DataType,
  values: LayoutArray,
): TensorInfo {
  return backend.makeTensorInfo(shape, dtype, values);
}

/** Row-major size of the dims [from, to) of `shape`. */
export function span(shape: readonly number[], from: number, to = shape.length): number {
  let n = 1;
  for (let i = from; i < to; i++) n *= shape[i]!;
  return n;
}

/** Why `raw` gave no values: a dtype without native storage, else storage of another type (oneHot's int32 in a Float32Array). */
export function whyNotRaw(t: TensorInfo): 'dtype' | 'storage' {
  return STORAGE[t.dtype] ? 'storage' : 'dtype';
}
