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
import { filterGradInJs } from './conv2d-backprop-filter.js';
import { filterGradViaConv } from './filter-grad-via-conv.js';
import { registerWasmTrainingKernels, WASM_TRAINING_KERNELS } from './index.js';
import type { BackendWasm } from './wasm-heap.js';

const RTOL = 1e-4;

type Shape4 = [number, number, number, number];
type Pad = 'same' | 'valid' | number | tf.backend_util.ExplicitPadding;
type Rounding = 'floor' | 'round' | 'ceil';

interface Result {
  shape: number[];
  dtype: tf.DataType;
  values: ArrayLike<number>;
}

/** Uniform values in [-1, 1) from a linear congruential generator. */
function randomValues(size: number, seed: number): Float32Array {
  let state = seed >>> 0;
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out[i] = (state / 2 ** 32) * 2 - 1;
  }
  return out;
}

function randomTensor(shape: number[], seed: number): tf.Tensor {
  return tf.tensor(randomValues(tf.util.sizeFromShape(shape), seed), shape);
}

/** Runs `fn` on `backend` and reads back what it returns. */
async function on(backend: 'cpu' | 'wasm', fn: () => tf.Tensor | tf.Tensor[]): Promise<Result[]> {
  await tf.setBackend(backend);
  const made = tf.tidy(fn);
  const outs = Array.isArray(made) ? made : [made];
  const results = outs.map((t) => ({ shape: t.shape, dtype: t.dtype, values: t.dataSync() }));
  tf.dispose(outs);
  return results;
}

function rms(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]! ** 2;
  return values.length === 0 ? 0 : Math.sqrt(sum / values.length);
}

function assertClose(actual: Result, expected: Result, what: string): void {
  assert.deepEqual(actual.shape, expected.shape, `${what}: shape`);
  const atol = RTOL * rms(expected.values);
  for (let i = 0; i < expected.values.length; i++) {
    const a = actual.values[i]!;
    const e = expected.values[i]!;
    if (!(Math.abs(a - e) <= atol + RTOL * Math.abs(e))) {
      assert.fail(
        `${what}: element ${i} is ${a} on wasm, ${e} on cpu (tolerance ${atol + RTOL * Math.abs(e)})`,
      );
    }
  }
}

/** Runs `fn` on cpu and on wasm and checks that every output agrees. */
async function sameOnBoth(what: string, fn: () => tf.Tensor | tf.Tensor[]): Promise<Result[]> {
  const cpu = await on('cpu', fn);
  const wasm = await on('wasm', fn);
  assert.equal(wasm.length, cpu.length, `${what}: number of outputs`);
  for (const [i, c] of cpu.entries()) assertClose(wasm[i]!, c, `${what} output ${i}`);
  return wasm;
}

function runKernel(name: string, inputs: tf.NamedTensorMap, attrs: object): tf.Tensor {
  return tf.engine().runKernel(name, inputs, attrs as tf.NamedAttrMap);
}

before(async () => {
  await import('@tensorflow/tfjs-backend-wasm');
  registerWasmTrainingKernels();
  await tf.setBackend('wasm');
});

describe('registerWasmTrainingKernels', () => {
  test('registers the four kernels and is idempotent', () => {
    registerWasmTrainingKernels();
    registerWasmTrainingKernels();
    for (const name of Object.keys(WASM_TRAINING_KERNELS)) {
      assert.equal(tf.getKernel(name, 'wasm')?.kernelFunc, WASM_TRAINING_KERNELS[name], name);
    }
  });
});

interface ConvCase {
  x: Shape4;
  filter: Shape4;
  strides: number | [number, number];
  pad: Pad;
  dataFormat?: 'NHWC' | 'NCHW';
  dimRoundingMode?: Rounding;
  dilations?: number | [number, number];
}

function label(c: ConvCase): string {
  const pad = typeof c.pad === 'object' ? JSON.stringify(c.pad) : c.pad;
  const extras = [c.dataFormat, c.dimRoundingMode, c.dilations && `dil ${c.dilations}`].filter(Boolean);
  return `x [${c.x}] w [${c.filter}] s ${c.strides} pad ${pad} ${extras.join(' ')}`.trim();
}

function outShapeOf(c: ConvCase, depthwise: boolean): Shape4 {
  return convInfoOf(c, depthwise).outShape;
}

function convInfoOf(c: ConvCase, depthwise: boolean): tf.backend_util.Conv2DInfo {
  const format = tf.backend_util.convertConv2DDataFormat(c.dataFormat ?? 'NHWC');
  return tf.backend_util.computeConv2DInfo(
    c.x,
    c.filter,
    c.strides,
    c.dilations ?? 1,
    c.pad,
    c.dimRoundingMode,
    depthwise,
    format,
  );
}

function convAttrs(c: ConvCase): Record<string, unknown> {
  const attrs: Record<string, unknown> = { strides: c.strides, pad: c.pad, dilations: c.dilations ?? 1 };
  if (c.dimRoundingMode !== undefined) attrs.dimRoundingMode = c.dimRoundingMode;
  return attrs;
}

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

describe('UnsortedSegmentSum', () => {
  const ids = [3, 0, 3, -1, 9, 1, 3, 0];
  const cases: Array<{ shape: number[]; dtype: 'float32' | 'int32'; numSegments: number }> = [
    { shape: [8], dtype: 'float32', numSegments: 5 },
    { shape: [8, 3], dtype: 'float32', numSegments: 4 },
    { shape: [8, 2, 5], dtype: 'float32', numSegments: 6 },
    { shape: [8], dtype: 'int32', numSegments: 5 },
    { shape: [8, 3], dtype: 'int32', numSegments: 4 },
    { shape: [8, 2, 3], dtype: 'int32', numSegments: 2 },
  ];
  for (const [i, c] of cases.entries()) {
    test(`${c.dtype} [${c.shape}] into ${c.numSegments} segments`, async () => {
      const values = randomValues(tf.util.sizeFromShape(c.shape), 60 + i).map((v) =>
        c.dtype === 'int32' ? Math.round(v * 100) : v,
      );
      const wasm = await sameOnBoth(`${c.dtype} [${c.shape}]`, () =>
        tf.unsortedSegmentSum(tf.tensor(values, c.shape, c.dtype), tf.tensor1d(ids, 'int32'), c.numSegments),
      );
      assert.equal(wasm[0]!.dtype, c.dtype);
    });
  }

  test('no rows gives zeros', async () => {
    await sameOnBoth('empty', () => tf.unsortedSegmentSum(tf.zeros([0, 3]), tf.tensor1d([], 'int32'), 2));
  });

  test('rank-2 segment ids sum over both leading dimensions (as TensorFlow)', async () => {
    const [out] = await on('wasm', () =>
      tf.unsortedSegmentSum(
        tf.tensor3d([1, 2, 3, 4, 5, 6, 7, 8], [2, 2, 2]),
        tf.tensor2d([0, 1, 1, -1], [2, 2], 'int32') as unknown as tf.Tensor1D,
        2,
      ),
    );
    assert.deepEqual(out!.shape, [2, 2]);
    assert.deepEqual(Array.from(out!.values), [1, 2, 8, 10]);
  });

  test('segment ids that do not match x are an error that says so', async () => {
    await tf.setBackend('wasm');
    assert.throws(
      () => tf.tidy(() => tf.unsortedSegmentSum(tf.zeros([4, 2]), tf.tensor1d([0, 1, 1], 'int32'), 2)),
      /must match the leading dimensions of x/,
    );
  });
});

describe('gradients on wasm equal cpu', () => {
  const convGrad = (strides: number, pad: Pad, seed: number) => (): tf.Tensor[] => {
    const x = randomTensor([2, 9, 9, 3], seed);
    const w = randomTensor([3, 3, 3, 4], seed + 1);
    const r = randomTensor(
      outShapeOf({ x: [2, 9, 9, 3], filter: [3, 3, 3, 4], strides, pad }, false),
      seed + 2,
    );
    const f = (a: tf.Tensor, b: tf.Tensor) =>
      tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, strides, pad), r));
    return tf.grads(f)([x, w]);
  };
  const explicit: Pad = [
    [0, 0],
    [1, 0],
    [2, 1],
    [0, 0],
  ];
  for (const [i, [strides, pad]] of (
    [
      [1, 'same'],
      [2, 'valid'],
      [3, explicit],
    ] as const
  ).entries()) {
    test(`conv2d, stride ${strides}, pad ${JSON.stringify(pad)}`, async () => {
      await sameOnBoth(`conv2d s${strides}`, convGrad(strides, pad, 1 + 3 * i));
    });
  }

  const depthwiseGrad = (strides: number, pad: Pad, seed: number) => (): tf.Tensor[] => {
    const x = randomTensor([2, 8, 8, 3], seed);
    const w = randomTensor([3, 3, 3, 2], seed + 1);
    const r = randomTensor(
      outShapeOf({ x: [2, 8, 8, 3], filter: [3, 3, 3, 2], strides, pad }, true),
      seed + 2,
    );
    const f = (a: tf.Tensor, b: tf.Tensor) =>
      tf.sum(tf.mul(tf.depthwiseConv2d(a as tf.Tensor4D, b as tf.Tensor4D, strides, pad), r));
    return tf.grads(f)([x, w]);
  };
  for (const [i, [strides, pad]] of (
    [
      [1, 'same'],
      [2, 'valid'],
      [3, 'same'],
    ] as const
  ).entries()) {
    test(`depthwiseConv2d, stride ${strides}, pad ${pad}`, async () => {
      await sameOnBoth(`depthwise s${strides}`, depthwiseGrad(strides, pad, 20 + 3 * i));
    });
  }

  test('gather along axis 0 and 1, repeated indices', async () => {
    await sameOnBoth('gather', () => {
      const table = randomTensor([10, 4], 6);
      const cube = randomTensor([3, 6, 2], 7);
      const rows = tf.tensor1d([2, 7, 2, 0, 9, 2, 7], 'int32');
      const columns = tf.tensor1d([5, 0, 5, 3, 1, 5], 'int32');
      const r0 = randomTensor([7, 4], 8);
      const r1 = randomTensor([3, 6, 2], 9);
      const g0 = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.gather(t, rows, 0), r0)))(table);
      const g1 = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.gather(t, columns, 1), r1)))(cube);
      return [g0, g1];
    });
  });

  test('variableGrads through an embedding and a conv2d', async () => {
    await sameOnBoth('variableGrads', () => {
      const embedding = tf.variable(randomTensor([12, 6], 10), true, 'embedding');
      const kernel = tf.variable(randomTensor([3, 3, 1, 2], 11), true, 'kernel');
      const ids = tf.tensor2d([1, 5, 5, 11, 0, 1, 3, 5], [2, 4], 'int32');
      const { value, grads } = tf.variableGrads(() => {
        const image = tf.reshape(tf.gather(embedding, ids), [2, 4, 6, 1]) as tf.Tensor4D;
        return tf.mean(tf.square(tf.conv2d(image, kernel as tf.Tensor4D, 1, 'same'))) as tf.Scalar;
      });
      const out = [value, grads.embedding!, grads.kernel!];
      const kept = out.map((t) => tf.clone(t));
      tf.dispose([embedding, kernel]);
      return kept;
    });
  });
});

describe('training on wasm', () => {
  test('three SGD steps of conv2d → relu → mean give the cpu losses', async () => {
    const steps = (): tf.Tensor[] => {
      const x = randomTensor([4, 8, 8, 2], 70) as tf.Tensor4D;
      const y = tf.relu(randomTensor([4, 8, 8, 4], 71));
      const w = tf.variable(tf.mul(randomTensor([3, 3, 2, 4], 72), 0.5));
      const b = tf.variable(tf.zeros([4]));
      const optimizer = tf.train.sgd(0.5);
      const losses: tf.Tensor[] = [];
      for (let step = 0; step < 3; step++) {
        const loss = optimizer.minimize(
          () =>
            tf.mean(
              tf.square(tf.sub(tf.relu(tf.add(tf.conv2d(x, w as tf.Tensor4D, 1, 'same'), b)), y)),
            ) as tf.Scalar,
          true,
        );
        losses.push(loss!);
      }
      optimizer.dispose();
      const out = [tf.stack(losses), tf.clone(w), tf.clone(b)];
      tf.dispose([w, b]);
      return out;
    };
    const [losses] = await sameOnBoth('sgd', steps);
    const l = Array.from(losses!.values);
    assert.ok(l[2]! < l[0]!, `the loss should fall over three steps, got ${l}`);
  });
});

function heapBytes(backend: BackendWasm): number {
  return (backend.wasm as unknown as { HEAPU8: Uint8Array }).HEAPU8.length;
}

describe('no leaks', () => {
  test('repeated kernel calls keep tensors, data ids and the wasm heap flat', async () => {
    await tf.setBackend('wasm');
    const backend = tf.backend() as BackendWasm;
    const x = randomTensor([4, 14, 14, 6], 80) as tf.Tensor4D;
    const w = randomTensor([5, 5, 6, 16], 81) as tf.Tensor4D;
    const dw = randomTensor([3, 3, 6, 2], 82) as tf.Tensor4D;
    const table = randomTensor([20, 8], 83);
    const ids = tf.tensor1d([1, 4, 4, 19, 0], 'int32');
    const round = () =>
      tf.tidy(() => {
        const [gx, gw] = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
          tf.sum(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 'valid')),
        )([x, w]);
        const [hx, hw] = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
          tf.sum(tf.depthwiseConv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, 'same')),
        )([x, dw]);
        const gt = tf.grad((t: tf.Tensor) => tf.sum(tf.gather(t, ids)))(table);
        // NCHW with stride 4 leaves a row and a column unread: the XNNPACK route slices them off.
        const nchw = runKernel(
          'Conv2DBackpropFilter',
          { x: tf.reshape(x, [4, 6, 14, 14]), dy: tf.ones([4, 16, 3, 3]) },
          { strides: 4, pad: 'valid', dataFormat: 'NCHW', filterShape: [5, 5, 6, 16] },
        );
        return tf.stack([gx!, gw!, hx!, hw!, gt, nchw].map((g) => tf.sum(g))).dataSync();
      });
    for (let i = 0; i < 3; i++) round();
    const tensors = tf.memory().numTensors;
    const dataIds = backend.numDataIds();
    const heap = heapBytes(backend);
    for (let i = 0; i < 20; i++) round();
    assert.equal(tf.memory().numTensors, tensors, 'tensors');
    assert.equal(backend.numDataIds(), dataIds, 'data ids');
    assert.equal(heapBytes(backend), heap, 'wasm heap size');
    tf.dispose([x, w, dw, table, ids]);
  });
});
