import { before, describe, test } from 'node:test';
import * as tf from '../../tf.js';
import {
  assertClose,
  type ConvCase,
  convAttrs,
  label,
  on,
  outShapeOf,
  randomTensor,
  randomValues,
  runKernel,
  type Shape4,
  sameOnBoth,
  setupWasm,
} from './wasm-test-utils.js';

before(setupWasm);

const DEPTHWISE_CASES: ConvCase[] = [
  { x: [1, 5, 5, 1], filter: [3, 3, 1, 1], strides: 1, pad: 'valid' },
  { x: [2, 7, 9, 3], filter: [3, 3, 3, 1], strides: 2, pad: 'same' },
  { x: [2, 8, 8, 2], filter: [3, 3, 2, 2], strides: 1, pad: 'same' },
  { x: [3, 9, 7, 4], filter: [2, 3, 4, 3], strides: 3, pad: 'same' },
  { x: [1, 11, 13, 3], filter: [5, 5, 3, 2], strides: [2, 3], pad: 'valid' },
  { x: [2, 9, 8, 3], filter: [3, 3, 3, 2], strides: 2, pad: 1, dimRoundingMode: 'ceil' },
  { x: [2, 9, 8, 3], filter: [3, 3, 3, 1], strides: 2, pad: 1, dimRoundingMode: 'floor' },
  {
    x: [2, 9, 8, 2],
    filter: [3, 2, 2, 3],
    strides: 2,
    pad: [
      [0, 0],
      [2, 1],
      [1, 3],
      [0, 0],
    ],
  },
  { x: [4, 16, 16, 8], filter: [3, 3, 8, 1], strides: 1, pad: 'same' },
  { x: [0, 5, 5, 2], filter: [3, 3, 2, 2], strides: 1, pad: 'same' },
];

/** The same geometry with dilation 1: dilation > 1 is checked through an equivalent dilated filter. */
const DILATED_CASES: ConvCase[] = [
  { x: [2, 9, 9, 3], filter: [3, 3, 3, 2], strides: 1, pad: 'same', dilations: 2 },
  { x: [1, 10, 8, 2], filter: [2, 3, 2, 1], strides: 1, pad: 'valid', dilations: [2, 3] },
  {
    x: [2, 7, 7, 2],
    filter: [3, 3, 2, 2],
    strides: 1,
    pad: [
      [0, 0],
      [1, 2],
      [3, 0],
      [0, 0],
    ],
    dilations: 2,
  },
];

function pair(v: number | [number, number]): [number, number] {
  return typeof v === 'number' ? [v, v] : v;
}

/** The dilation-1 filter shape that covers what a dilated filter covers. */
function dilatedShape(c: ConvCase): Shape4 {
  const [dh, dw] = pair(c.dilations ?? 1);
  const [fh, fw, ci, m] = c.filter;
  return [(fh - 1) * dh + 1, (fw - 1) * dw + 1, ci, m];
}

/** Spreads a [fh, fw, ci, m] filter over the dilated grid, zeros between taps. */
function dilateFilter(w: Float32Array, c: ConvCase): Float32Array {
  const [dh, dw] = pair(c.dilations ?? 1);
  const [fh, fw, ci, m] = c.filter;
  const [, ew] = dilatedShape(c);
  const out = new Float32Array(tf.util.sizeFromShape(dilatedShape(c)));
  const depth = ci * m;
  for (let r = 0; r < fh; r++) {
    for (let col = 0; col < fw; col++) {
      const from = (r * fw + col) * depth;
      out.set(w.subarray(from, from + depth), (r * dh * ew + col * dw) * depth);
    }
  }
  return out;
}

describe('DepthwiseConv2dNativeBackpropFilter', () => {
  for (const [i, c] of DEPTHWISE_CASES.entries()) {
    test(label(c), async () => {
      const dyShape = outShapeOf(c, true);
      await sameOnBoth(label(c), () => {
        const x = randomTensor(c.x, 20 + i);
        const dy = randomTensor(dyShape, 200 + i);
        return runKernel(
          'DepthwiseConv2dNativeBackpropFilter',
          { x, dy },
          { ...convAttrs(c), filterShape: c.filter },
        );
      });
    });
  }
  for (const [i, c] of DILATED_CASES.entries()) {
    test(`${label(c)} (against cpu with the dilated filter)`, async () => {
      const dyShape = outShapeOf(c, true);
      const x = randomValues(tf.util.sizeFromShape(c.x), 30 + i);
      const dy = randomValues(tf.util.sizeFromShape(dyShape), 300 + i);
      const [cpu] = await on('cpu', () =>
        runKernel(
          'DepthwiseConv2dNativeBackpropFilter',
          { x: tf.tensor(x, c.x), dy: tf.tensor(dy, dyShape) },
          { ...convAttrs(c), dilations: 1, filterShape: dilatedShape(c) },
        ),
      );
      const [wasm] = await on('wasm', () =>
        runKernel(
          'DepthwiseConv2dNativeBackpropFilter',
          { x: tf.tensor(x, c.x), dy: tf.tensor(dy, dyShape) },
          { ...convAttrs(c), filterShape: c.filter },
        ),
      );
      const undilated = await on('cpu', () => {
        const [dh, dw] = pair(c.dilations ?? 1);
        const full = tf.tensor(cpu!.values as Float32Array, cpu!.shape);
        return tf.stridedSlice(full, [0, 0, 0, 0], cpu!.shape, [dh, dw, 1, 1]);
      });
      assertClose(wasm!, undilated[0]!, label(c));
    });
  }
});

describe('DepthwiseConv2dNativeBackpropInput', () => {
  for (const [i, c] of DEPTHWISE_CASES.entries()) {
    test(label(c), async () => {
      const dyShape = outShapeOf(c, true);
      await sameOnBoth(label(c), () => {
        const dy = randomTensor(dyShape, 40 + i);
        const filter = randomTensor(c.filter, 400 + i);
        return runKernel(
          'DepthwiseConv2dNativeBackpropInput',
          { dy, filter },
          { ...convAttrs(c), inputShape: c.x },
        );
      });
    });
  }
  for (const [i, c] of DILATED_CASES.entries()) {
    test(`${label(c)} (against cpu with the dilated filter)`, async () => {
      const dyShape = outShapeOf(c, true);
      const dy = randomValues(tf.util.sizeFromShape(dyShape), 50 + i);
      const w = randomValues(tf.util.sizeFromShape(c.filter), 500 + i);
      const [cpu] = await on('cpu', () =>
        runKernel(
          'DepthwiseConv2dNativeBackpropInput',
          { dy: tf.tensor(dy, dyShape), filter: tf.tensor(dilateFilter(w, c), dilatedShape(c)) },
          { ...convAttrs(c), dilations: 1, inputShape: c.x },
        ),
      );
      const [wasm] = await on('wasm', () =>
        runKernel(
          'DepthwiseConv2dNativeBackpropInput',
          { dy: tf.tensor(dy, dyShape), filter: tf.tensor(w, c.filter) },
          { ...convAttrs(c), inputShape: c.x },
        ),
      );
      assertClose(wasm!, cpu!, label(c));
    });
  }
});
