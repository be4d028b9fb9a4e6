/**
 * `UnsortedSegmentSum` for the wasm backend: out[s, ...] = Σ x[i, ...] over the i with
 * segmentIds[i] = s; ids outside [0, numSegments) are skipped. The gradient of `tf.gather`.
 *
 *   registerWasmTrainingKernels();             // from ./index.js
 *   tf.unsortedSegmentSum(tf.tensor1d([1, 2, 3, 4]), tf.tensor1d([1, 2, 0, 1], 'int32'), 3); // [3, 5, 2]
 *
 * Output shape [numSegments, ...x.shape.slice(segmentIds.rank)]; dtype float32 for float32 x,
 * int32 for int32 or bool x (as webgl and TensorFlow; the cpu backend returns float32 for both).
 * Float32 sums run in float64 in index order, as the cpu backend's do.
 */
import { InvalidArgumentError } from '@dlpipe/core';
import { attrsOf } from '../../kernel-args.js';
import * as tf from '../../tf.js';
import { type BackendWasm, inputOf, type KernelArgs } from './wasm-heap.js';

const KERNEL = tf.UnsortedSegmentSum;

export function unsortedSegmentSum(args: KernelArgs): tf.TensorInfo {
  const backend = args.backend as BackendWasm;
  const x = inputOf(args, 'x', KERNEL);
  const segmentIds = inputOf(args, 'segmentIds', KERNEL);
  const { numSegments } = attrsOf<tf.UnsortedSegmentSumAttrs>(args.attrs);
  checkInputs(x, segmentIds, numSegments);
  const innerShape = x.shape.slice(segmentIds.shape.length);
  const dtype = tf.sumOutType(x.dtype);
  const out = backend.makeOutput([numSegments, ...innerShape], dtype);
  const xs = backend.typedArrayFromHeap(x);
  const ids = backend.typedArrayFromHeap(segmentIds);
  const outs = backend.typedArrayFromHeap(out);
  const inner = tf.util.sizeFromShape(innerShape);
  if (dtype === 'float32') {
    const acc = new Float64Array(outs.length);
    scatterAdd(xs, ids, numSegments, inner, acc);
    outs.set(acc);
  } else {
    outs.fill(0);
    scatterAdd(xs, ids, numSegments, inner, outs, true);
  }
  return out;
}

function checkInputs(x: tf.TensorInfo, segmentIds: tf.TensorInfo, numSegments: number): void {
  const idsRank = segmentIds.shape.length;
  if (!tf.util.arraysEqual(x.shape.slice(0, idsRank), segmentIds.shape)) {
    throw new InvalidArgumentError(
      `${KERNEL} on wasm: segmentIds of shape [${segmentIds.shape}] must match the leading dimensions ` +
        `of x, of shape [${x.shape}]; pass one id per row of x`,
    );
  }
  if (segmentIds.dtype !== 'int32') {
    throw new InvalidArgumentError(
      `${KERNEL} on wasm: segmentIds must be int32, got ${segmentIds.dtype}; cast them first`,
    );
  }
  if (!Number.isInteger(numSegments) || numSegments < 0) {
    throw new InvalidArgumentError(
      `${KERNEL} on wasm: numSegments must be a non-negative integer, got ${numSegments}`,
    );
  }
  if (x.dtype !== 'float32' && x.dtype !== 'int32' && x.dtype !== 'bool') {
    throw new InvalidArgumentError(`${KERNEL} on wasm: x must be float32, int32 or bool, got ${x.dtype}`);
  }
}

/**
 * acc[id · inner + j] += x[i · inner + j] for each row i whose id is in range, rows in order; in
 * int32 arithmetic (wrapping like TensorFlow's int32 sums) when `int32`.
 */
function scatterAdd(
  x: tf.TypedArray,
  ids: tf.TypedArray,
  numSegments: number,
  inner: number,
  acc: Float64Array | tf.TypedArray,
  int32 = false,
): void {
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!;
    if (id < 0 || id >= numSegments) continue;
    const from = i * inner;
    const to = id * inner;
    if (int32) for (let j = 0; j < inner; j++) acc[to + j] = (acc[to + j]! + x[from + j]!) | 0;
    else for (let j = 0; j < inner; j++) acc[to + j]! += x[from + j]!;
  }
}
