/**
 * The wasm training kernels against the cpu backend: each kernel on many geometries, the
 * gradients of conv2d, depthwiseConv2d and gather, three SGD steps, and no leaks.
 *
 * Tolerance: |wasm - cpu| ≤ 1e-4 · |cpu| + 1e-4 · rms(cpu) for every element. The JS kernels
 * sum in float64 in the cpu order (bit-equal in practice); Conv2DBackpropFilter runs through
 * XNNPACK in float32 for larger inputs, hence the tolerance.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import * as tf from '../../tf.js';
import { filterGradInJs } from './filter-grad-in-js.js';
import { filterGradViaConv } from './filter-grad-via-conv.js';
import { registerWasmTrainingKernels, WASM_TRAINING_KERNELS } from './index.js';
import type { BackendWasm } from './wasm-heap.js';
import {
  assertClose,
  type ConvCase,
  convAttrs,
  convInfoOf,
  label,
  on,
  randomTensor,
  runKernel,
  setupWasm,
} from './wasm-test-utils.js';

before(setupWasm);

describe('registerWasmTrainingKernels', () => {
  test('registers the four kernels and is idempotent', () => {
    registerWasmTrainingKernels();
    registerWasmTrainingKernels();
    for (const name of Object.keys(WASM_TRAINING_KERNELS)) {
      assert.equal(tf.getKernel(name, 'wasm')?.kernelFunc, WASM_TRAINING_KERNELS[name], name);
    }
  });
});

const CONV_CASES: ConvCase[] = [
  { x: [1, 5, 5, 1], filter: [3, 3, 1, 1], strides: 1, pad: 'valid' },
  { x: [2, 7, 9, 3], filter: [3, 3, 3, 4], strides: 2, pad: 'same' },
  { x: [3, 8, 8, 2], filter: [2, 2, 2, 5], strides: 3, pad: 'same' },
  { x: [2, 6, 7, 3], filter: [5, 3, 3, 2], strides: [2, 1], pad: 'valid' },
  { x: [1, 13, 11, 5], filter: [4, 4, 5, 7], strides: 3, pad: 'same' },
  { x: [2, 10, 10, 3], filter: [3, 3, 3, 8], strides: 3, pad: 'valid' },
  { x: [2, 9, 8, 3], filter: [3, 3, 3, 4], strides: 2, pad: 1, dimRoundingMode: 'floor' },
  { x: [2, 9, 8, 3], filter: [3, 3, 3, 4], strides: 2, pad: 1, dimRoundingMode: 'ceil' },
  { x: [2, 9, 8, 3], filter: [2, 2, 3, 4], strides: 2, pad: 0, dimRoundingMode: 'round' },
  {
    x: [2, 9, 8, 3],
    filter: [3, 2, 3, 4],
    strides: 2,
    pad: [
      [0, 0],
      [1, 2],
      [0, 3],
      [0, 0],
    ],
  },
  {
    x: [1, 2, 3, 2],
    filter: [2, 2, 2, 3],
    strides: 3,
    pad: [
      [0, 0],
      [4, 4],
      [5, 0],
      [0, 0],
    ],
  },
  { x: [4, 14, 14, 6], filter: [5, 5, 6, 16], strides: 1, pad: 'valid' },
  { x: [2, 12, 12, 16], filter: [3, 3, 16, 16], strides: 1, pad: 'same' },
  { x: [1, 8, 8, 32], filter: [1, 1, 32, 64], strides: 1, pad: 'valid' },
  { x: [0, 5, 5, 2], filter: [3, 3, 2, 3], strides: 1, pad: 'same' },
];

const NCHW_CASES: ConvCase[] = [
  { x: [2, 3, 7, 9], filter: [3, 3, 3, 4], strides: 2, pad: 'same', dataFormat: 'NCHW' },
  { x: [1, 5, 13, 11], filter: [4, 4, 5, 7], strides: 3, pad: 'valid', dataFormat: 'NCHW' },
  { x: [3, 2, 8, 8], filter: [3, 3, 2, 6], strides: 1, pad: 'same', dataFormat: 'NCHW' },
  { x: [2, 6, 14, 14], filter: [5, 5, 6, 16], strides: 1, pad: 'valid', dataFormat: 'NCHW' },
  {
    x: [2, 3, 9, 8],
    filter: [3, 2, 3, 4],
    strides: 2,
    pad: [
      [0, 0],
      [0, 0],
      [1, 2],
      [0, 3],
    ],
    dataFormat: 'NCHW',
  },
];

describe('Conv2DBackpropFilter', () => {
  const ways = ['the kernel', 'the JS loop', 'the XNNPACK convolution'];
  for (const [i, c] of [...CONV_CASES, ...NCHW_CASES].entries()) {
    test(label(c), async () => {
      const info = convInfoOf(c, false);
      const attrs = { ...convAttrs(c), dataFormat: c.dataFormat ?? 'NHWC', filterShape: c.filter };
      const inputs = () => ({ x: randomTensor(c.x, 10 + i), dy: randomTensor(info.outShape, 100 + i) });
      const [cpu] = await on('cpu', () => runKernel('Conv2DBackpropFilter', inputs(), attrs));
      const wasm = await on('wasm', () => {
        const { x, dy } = inputs();
        const backend = tf.backend() as BackendWasm;
        const viaConv = filterGradViaConv(backend, x, dy, info);
        const direct = [filterGradInJs(backend, x, dy, info), ...(viaConv === null ? [] : [viaConv])];
        const wrap = (t: tf.TensorInfo) => tf.engine().makeTensorFromTensorInfo(t);
        return [runKernel('Conv2DBackpropFilter', { x, dy }, attrs), ...direct.map(wrap)];
      });
      for (const [k, w] of wasm.entries()) assertClose(w, cpu!, `${label(c)} by ${ways[k]}`);
    });
  }
});
