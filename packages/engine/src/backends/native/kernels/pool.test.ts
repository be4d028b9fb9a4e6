/**
 * Native MaxPool / AvgPool and their gradients against tfjs's cpu kernels, on seeded inputs, every
 * padding mode, strides, rounding modes, odd sizes and more than one 64-channel block; relative
 * tolerance 1e-5 of the largest output magnitude (2e-5 for gradients, which sum window overlaps).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { useBackend } from '../../../backend.js';
import * as tf from '../../../tf.js';
import { assertSameOnBackends, expectFallback, expectNative, nativeSkip, seeded } from '../test-helpers.js';

const skip = nativeSkip;

type Pad = 'same' | 'valid' | number;
type Round = 'floor' | 'ceil' | 'round';

interface PoolCase {
  x: number[];
  f: number | [number, number];
  s: number | [number, number];
  p: Pad;
  round?: Round;
  /** Cases the native kernels hand to the cpu kernels, asserted as such. */
  fallback?: 'shape';
}

const cases: PoolCase[] = [
  { x: [2, 6, 6, 3], f: 2, s: 2, p: 'valid' },
  { x: [2, 7, 9, 3], f: 3, s: 2, p: 'same' },
  { x: [1, 5, 5, 1], f: 3, s: 1, p: 'same' },
  { x: [2, 9, 7, 5], f: [3, 2], s: [2, 3], p: 'valid' },
  { x: [1, 8, 8, 70], f: 3, s: 2, p: 'same' }, // two channel blocks of MaxPoolGrad
  { x: [3, 7, 7, 2], f: 3, s: 2, p: 1, round: 'ceil' },
  { x: [3, 7, 7, 2], f: 3, s: 2, p: 1, round: 'floor' },
  { x: [2, 8, 8, 2], f: 2, s: 3, p: 1, round: 'round', fallback: 'shape' }, // last window all padding
  { x: [2, 5, 5, 4], f: 5, s: 1, p: 'valid' }, // one window covers all
  { x: [1, 4, 6, 2], f: 1, s: 2, p: 'valid' }, // 1×1 window, strided
  { x: [4, 28, 28, 6], f: 2, s: 2, p: 'valid' }, // LeNet's first pool (parallel path)
  { x: [4, 24, 24, 64], f: 3, s: 2, p: 'same' }, // ResNet's stem pool
];

function name(c: PoolCase): string {
  return `x[${c.x}] f${JSON.stringify(c.f)} s${JSON.stringify(c.s)} ${JSON.stringify(c.p)}${c.round ? ` ${c.round}` : ''}`;
}

describe('native MaxPool / AvgPool and gradients', { skip }, () => {
  for (const c of cases) {
    for (const kind of ['max', 'avg'] as const) {
      it(`${kind}Pool ${name(c)}: forward and gradient`, async () => {
        const PK = kind === 'max' ? 'MaxPool' : 'AvgPool';
        const pool = (x: tf.Tensor) =>
          kind === 'max'
            ? tf.maxPool(x as tf.Tensor4D, c.f, c.s, c.p, c.round)
            : tf.avgPool(x as tf.Tensor4D, c.f, c.s, c.p, c.round);
        const forward = () => assertSameOnBackends(() => pool(seeded(c.x, 1)));
        const backward = () =>
          assertSameOnBackends(() => {
            const w = seeded(pool(seeded(c.x, 1)).shape, 2); // dy varies per output
            return tf.grad((x: tf.Tensor) => pool(x).mul(w).sum())(seeded(c.x, 1));
          }, 2e-5);
        if (c.fallback) {
          await expectFallback(PK, c.fallback, forward);
          await expectFallback(`${PK}Grad`, c.fallback, backward);
        } else {
          await expectNative(PK, forward);
          await expectNative([PK, `${PK}Grad`], backward);
        }
      });
    }
  }

  it('maxPool gradient routes ties to the first maximum of each window, as cpu', async () => {
    // ReLU outputs: many windows of zeros, and repeated maxima.
    const x = () => tf.relu(seeded([2, 9, 9, 3], 3)).round();
    await expectNative(['MaxPool', 'MaxPoolGrad'], () =>
      assertSameOnBackends(() =>
        tf.grad((a: tf.Tensor) =>
          tf
            .maxPool(a as tf.Tensor4D, 3, 2, 'same')
            .mul(seeded([2, 5, 5, 3], 4))
            .sum(),
        )(x()),
      ),
    );
  });

  it('NaN and -inf inputs: max skips NaN as cpu does, average propagates it', async () => {
    const x = () =>
      tf.tensor4d([1, NaN, 3, 2, NaN, NaN, NaN, NaN, 5, -Infinity, 0, 1, 1, 2, 3, 4], [1, 4, 4, 1]);
    await expectNative(['MaxPool', 'AvgPool'], () =>
      assertSameOnBackends(() => [tf.maxPool(x(), 2, 2, 'valid'), tf.avgPool(x(), 2, 2, 'valid')]),
    );
    await expectNative(['MaxPool', 'MaxPoolGrad'], () =>
      assertSameOnBackends(() =>
        tf.grad((a: tf.Tensor) => tf.maxPool(a as tf.Tensor4D, 2, 2, 'valid').sum())(x()),
      ),
    );
  });

  it('windows wholly in padding (-inf max, NaN average) fall back with cpu results', async () => {
    for (const kind of ['max', 'avg'] as const) {
      await expectFallback(kind === 'max' ? 'MaxPool' : 'AvgPool', 'shape', () =>
        assertSameOnBackends(() => {
          const x = seeded([1, 2, 2, 1], 5) as tf.Tensor4D;
          return kind === 'max' ? tf.maxPool(x, 1, 1, 1) : tf.avgPool(x, 1, 1, 1);
        }),
      );
    }
  });

  it('1×1 identity pools, int32 inputs and a zero-size batch give cpu results', async () => {
    await expectFallback('MaxPool', 'shape', () =>
      assertSameOnBackends(() => tf.maxPool(seeded([2, 3, 3, 2], 1) as tf.Tensor4D, 1, 1, 'valid')),
    );
    await expectFallback('AvgPool', 'shape', () =>
      assertSameOnBackends(() => tf.avgPool(seeded([2, 3, 3, 2], 1) as tf.Tensor4D, 1, 1, 'same')),
    );
    await expectFallback('MaxPool', 'dtype', () =>
      assertSameOnBackends(() =>
        tf.maxPool(seeded([2, 5, 5, 2], 1, 'int32', 9) as tf.Tensor4D, 2, 2, 'valid'),
      ),
    );
    await expectFallback('MaxPool', 'empty', () =>
      assertSameOnBackends(() => tf.maxPool(tf.zeros([0, 4, 4, 2]) as tf.Tensor4D, 2, 2, 'valid')),
    );
    await expectFallback('AvgPool', 'empty', () =>
      assertSameOnBackends(() => tf.avgPool(tf.zeros([0, 4, 4, 2]) as tf.Tensor4D, 2, 2, 'same')),
    );
  });

  it('no tensors leak across repeated pooling steps', async () => {
    await useBackend('native');
    const x = seeded([2, 8, 8, 3], 1);
    const step = () =>
      tf.tidy(() => {
        const g = tf.grad((a: tf.Tensor) =>
          tf
            .avgPool(tf.maxPool(a as tf.Tensor4D, 3, 1, 'same'), 2, 2, 'valid')
            .square()
            .sum(),
        );
        return g(x);
      });
    tf.dispose(step());
    const before = tf.memory().numTensors;
    for (let i = 0; i < 10; i++) tf.dispose(step());
    assert.equal(tf.memory().numTensors, before);
    x.dispose();
  });
});
