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
import type { BackendWasm } from './wasm-heap.js';
import {
  on,
  outShapeOf,
  type Pad,
  randomTensor,
  randomValues,
  runKernel,
  sameOnBoth,
  setupWasm,
} from './wasm-test-utils.js';

before(setupWasm);

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
