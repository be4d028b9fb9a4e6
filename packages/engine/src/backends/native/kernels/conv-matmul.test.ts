/**
 * Native MatMul and Conv2D-family kernels against tfjs's cpu kernels (relative tolerance 1e-5 of
 * the largest output magnitude; 2e-5 for gradients, which sum over many terms). Each case asserts
 * the path the native backend took (expectNative / expectFallback), so that a case handed to the
 * cpu kernel cannot pass as a native one.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { useBackend } from '../../../backend.js';
import * as tf from '../../../tf.js';
import { assertSameOnBackends, expectFallback, expectNative, nativeSkip, seeded } from '../test-helpers.js';

const skip = nativeSkip;

describe('native BatchMatMul / _FusedMatMul', { skip }, () => {
  const cases: Array<[number[], number[], boolean, boolean]> = [
    [[3, 4], [4, 5], false, false],
    [[4, 3], [4, 5], true, false],
    [[3, 4], [5, 4], false, true],
    [[4, 3], [5, 4], true, true],
    [[2, 7, 5], [2, 5, 6], false, false],
    [[2, 7, 5], [5, 6], false, false], // batch of 1 broadcast (rank mismatch)
    [[1, 7, 5], [3, 5, 6], false, false],
    [[2, 3, 7, 5], [2, 3, 6, 5], false, true], // rank 4, equal batch dims
    [[1, 1], [1, 1], false, false],
    [[0, 4], [4, 5], false, false], // zero-size output
    [[3, 0], [0, 5], false, false], // K = 0 → zeros
    // batches big enough for one single-threaded product per matrix (matmul.cc's BatchPerThread)
    [[8, 100, 101], [8, 101, 102], false, false],
    [[8, 101, 100], [1, 101, 102], true, false],
    [[1, 100, 101], [8, 102, 101], false, true],
    [[9, 101, 100], [9, 102, 101], true, true],
  ];
  for (const [sa, sb, tA, tB] of cases) {
    it(`[${sa}]${tA ? 'ᵀ' : ''} × [${sb}]${tB ? 'ᵀ' : ''}`, async () => {
      await expectNative('BatchMatMul', () =>
        assertSameOnBackends(() => tf.matMul(seeded(sa, 1), seeded(sb, 2), tA, tB)),
      );
    });
  }
  it('general batch broadcasting ([2,1,…] × [1,3,…]) falls back with the same result', async () => {
    await expectFallback('BatchMatMul', 'broadcast', () =>
      assertSameOnBackends(() => tf.matMul(seeded([2, 1, 4, 5], 3), seeded([1, 3, 5, 2], 4))),
    );
  });
  for (const activation of ['linear', 'relu', 'relu6', 'elu', 'sigmoid', 'leakyrelu', 'prelu'] as const) {
    it(`fused matMul + bias + ${activation}`, async () => {
      const same = () =>
        assertSameOnBackends(() =>
          tf.fused.matMul({
            a: seeded([6, 5], 5, 'float32', 3),
            b: seeded([5, 4], 6),
            bias: seeded([4], 7),
            activation,
            preluActivationWeights: activation === 'prelu' ? seeded([4], 8) : undefined,
            leakyreluAlpha: 0.3,
          }),
        );
      if (activation === 'prelu') await expectFallback('_FusedMatMul', 'attr', same);
      else await expectNative('_FusedMatMul', same);
    });
  }
  it('int32 inputs fall back to the cpu kernel', async () => {
    await expectFallback('BatchMatMul', 'dtype', () =>
      assertSameOnBackends(() => tf.matMul(seeded([3, 4], 1, 'int32', 9), seeded([4, 2], 2, 'int32', 9))),
    );
  });
  it('gradients of a batched matMul', async () => {
    const counts = await expectNative('BatchMatMul', () =>
      assertSameOnBackends(
        () =>
          tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.matMul(a, b, false, true).square().sum())([
            seeded([2, 4, 3], 1),
            seeded([2, 5, 3], 2),
          ]),
        2e-5,
      ),
    );
    assert.equal(counts.BatchMatMul?.native, 3, 'one forward and two gradient matmuls');
  });
});

describe('native Conv2D family', { skip }, () => {
  type Pad =
    | 'same'
    | 'valid'
    | number
    | [[number, number], [number, number], [number, number], [number, number]];
  const cases: Array<{
    x: number[];
    f: number[];
    s: number | [number, number];
    p: Pad;
    d?: number;
    round?: 'floor' | 'ceil' | 'round';
  }> = [
    { x: [2, 9, 9, 3], f: [3, 3, 3, 5], s: 1, p: 'same' },
    { x: [2, 9, 9, 3], f: [3, 3, 3, 5], s: 2, p: 'same' },
    { x: [1, 8, 7, 2], f: [2, 3, 2, 4], s: [2, 1], p: 'valid' },
    { x: [2, 10, 10, 3], f: [3, 3, 3, 2], s: 1, p: 'valid', d: 2 },
    { x: [2, 11, 11, 4], f: [5, 5, 4, 3], s: 3, p: 'same' },
    { x: [1, 7, 7, 1], f: [3, 3, 1, 1], s: 2, p: 1, round: 'ceil' },
    { x: [1, 8, 8, 2], f: [3, 3, 2, 2], s: 2, p: 1, round: 'floor' },
    {
      x: [2, 6, 6, 2],
      f: [3, 3, 2, 3],
      s: 1,
      p: [
        [0, 0],
        [1, 2],
        [2, 0],
        [0, 0],
      ],
    },
    { x: [256, 14, 14, 6], f: [5, 5, 6, 16], s: 1, p: 'valid' }, // LeNet's second conv
    { x: [2, 1, 1, 3], f: [1, 1, 3, 4], s: 1, p: 'valid' },
    { x: [2, 8, 8, 4], f: [1, 1, 4, 6], s: 2, p: 'valid' }, // ResNet's shortcut: last row never read
  ];
  for (const c of cases) {
    const name = `x[${c.x}] f[${c.f}] s${c.s} ${JSON.stringify(c.p)}${c.d ? ` d${c.d}` : ''}${c.round ? ` ${c.round}` : ''}`;
    it(`conv2d ${name}: forward and both gradients`, async () => {
      const conv = (x: tf.Tensor, f: tf.Tensor) =>
        tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, c.s, c.p, 'NHWC', c.d ?? 1, c.round);
      await expectNative('Conv2D', () => assertSameOnBackends(() => conv(seeded(c.x, 1), seeded(c.f, 2))));
      if ((c.d ?? 1) === 1) {
        await expectNative(['Conv2D', 'Conv2DBackpropInput', 'Conv2DBackpropFilter'], () =>
          assertSameOnBackends(
            () =>
              tf.grads((x: tf.Tensor, f: tf.Tensor) => conv(x, f).square().sum())([
                seeded(c.x, 1),
                seeded(c.f, 2),
              ]),
            2e-5,
          ),
        );
      }
    });
  }
  it('NCHW data format (forward; tfjs cpu runs NCHW via transposes)', async () => {
    await expectNative('Conv2D', () =>
      assertSameOnBackends(() =>
        tf.conv2d(
          seeded([2, 3, 8, 8], 1) as tf.Tensor4D,
          seeded([3, 3, 3, 4], 2) as tf.Tensor4D,
          1,
          'same',
          'NCHW',
        ),
      ),
    );
  });
  it('fused conv2d with bias and each activation', async () => {
    for (const activation of ['linear', 'relu', 'relu6', 'elu', 'sigmoid', 'leakyrelu'] as const) {
      await expectNative('FusedConv2D', () =>
        assertSameOnBackends(
          () =>
            tf.fused.conv2d({
              x: seeded([2, 6, 6, 3], 1, 'float32', 2) as tf.Tensor4D,
              filter: seeded([3, 3, 3, 4], 2) as tf.Tensor4D,
              strides: 1,
              pad: 'same',
              bias: seeded([4], 3),
              activation,
              leakyreluAlpha: 0.3, // tfjs's cpu kernel gives NaN when it is left out
            }),
          1e-5,
          activation,
        ),
      );
    }
  });
  for (const [x, f, s, p] of [
    [[2, 9, 9, 3], [3, 3, 3, 2], 1, 'same'],
    [[2, 9, 9, 4], [3, 3, 4, 1], 2, 'valid'],
    [[1, 7, 7, 2], [5, 5, 2, 3], 2, 'same'],
  ] as Array<[number[], number[], number, 'same' | 'valid']>) {
    it(`depthwise x[${x}] f[${f}] s${s} ${p}: forward and both gradients`, async () => {
      const dw = (a: tf.Tensor, b: tf.Tensor) => tf.depthwiseConv2d(a as tf.Tensor4D, b as tf.Tensor4D, s, p);
      const kernel = 'DepthwiseConv2dNative';
      await expectNative(kernel, () => assertSameOnBackends(() => dw(seeded(x, 1), seeded(f, 2))));
      await expectNative([kernel, `${kernel}BackpropInput`, `${kernel}BackpropFilter`], () =>
        assertSameOnBackends(
          () =>
            tf.grads((a: tf.Tensor, b: tf.Tensor) => dw(a, b).square().sum())([seeded(x, 1), seeded(f, 2)]),
          2e-5,
        ),
      );
    });
  }
  it('zero-size batch falls back and keeps the shape', async () => {
    await expectFallback('Conv2D', 'empty', () =>
      assertSameOnBackends(() =>
        tf.conv2d(tf.zeros([0, 5, 5, 2]) as tf.Tensor4D, seeded([3, 3, 2, 2], 1) as tf.Tensor4D, 1, 'same'),
      ),
    );
  });
  it('reordered filters kept by data id: many filters of one geometry, each used again, give their own results', async () => {
    // 8 filters > the 6 copies a plan keeps: hits, misses and evictions, forward and input gradient
    const x = seeded([2, 9, 9, 16], 1) as tf.Tensor4D;
    const run = () => {
      const filters = Array.from({ length: 8 }, (_, i) => seeded([3, 3, 16, 16], 10 + i) as tf.Tensor4D);
      const out: Float32Array[] = [];
      for (const round of [0, 1]) {
        for (const f of round === 0 ? filters : [...filters].reverse()) {
          out.push(tf.tidy(() => tf.conv2d(x, f, 1, 'same').dataSync() as Float32Array));
          const [dx] = tf.grads((a: tf.Tensor) =>
            tf
              .conv2d(a as tf.Tensor4D, f, 2, 'same')
              .square()
              .sum(),
          )([x]);
          out.push(dx!.dataSync() as Float32Array);
          dx!.dispose();
        }
      }
      tf.dispose(filters);
      return out;
    };
    await useBackend('cpu');
    const want = run();
    await useBackend('native');
    const got = run();
    for (const [i, w] of want.entries()) {
      const scale = Math.max(...w.map(Math.abs));
      const worst = Math.max(...got[i]!.map((v, j) => Math.abs(v - w[j]!)));
      assert.ok(worst <= 2e-5 * scale, `result ${i}: max error ${worst} of ${scale}`);
    }
    x.dispose();
  });
  it('no tensors leak across repeated native convolutions', async () => {
    await useBackend('native');
    const x = seeded([2, 8, 8, 3], 1) as tf.Tensor4D;
    const f = seeded([3, 3, 3, 4], 2) as tf.Tensor4D;
    const g = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
      tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 'same').sum(),
    );
    tf.dispose(g([x, f]));
    const before = tf.memory().numTensors;
    for (let i = 0; i < 20; i++) tf.dispose(g([x, f]));
    assert.equal(tf.memory().numTensors, before);
  });
});
