/**
 * Native reductions (reduce.ts) against tfjs's cpu kernels: every op over every axes pattern
 * (negative, unsorted, size-1, inner, outer, middle, all), keepDims, multi-threaded sizes, int32,
 * NaN, ties, zero-size tensors; and the Sum/Mean gradient overrides (reduce-grads.ts) against
 * tfjs's own gradients. Relative tolerance 1e-5 of the largest cpu magnitude, 1e-4 for the long
 * reductions (≥ 10⁴ terms); int32 and arg results exact.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { useBackend } from '../../../backend.js';
import * as tf from '../../../tf.js';
import { assertSameOnBackends, expectFallback, expectNative, nativeSkip, seeded } from '../test-helpers.js';
import { assertSameAsTfjsGradient } from './math-test-util.js';
import { tfjsReduceGrad } from './reduce-grads.js';

const skip = nativeSkip;

type Reduce = (x: tf.Tensor, axis?: number | number[], keepDims?: boolean) => tf.Tensor;
const OPS: Record<string, Reduce> = { Sum: tf.sum, Mean: tf.mean, Max: tf.max, Min: tf.min, Prod: tf.prod };
/** The kernel name of each op of OPS, and of tf.argMax / tf.argMin. */
const NAME = new Map<unknown, string>(Object.entries(OPS).map(([k, f]) => [f, k]));
const ARG = (op: unknown) => (op === tf.argMax ? 'ArgMax' : 'ArgMin');

/** Shapes with axes: all, single, negative, unsorted, size-1 dims, inner/outer/middle patterns. */
const CASES: Array<[number[], Array<number | number[] | undefined>]> = [
  [[7], [undefined, 0, -1]],
  [
    [3, 4, 5],
    [0, 1, 2, -1, [0, 1], [1, 2], [0, 2], [0, 1, 2], [2, 0], [-1, -3]],
  ],
  [
    [2, 1, 3, 1, 4],
    [1, [1, 3], [0, 2], [3, 4], [0, 2, 4], [1, 2, 3]],
  ],
  [
    [1, 1],
    [0, [0, 1]],
  ],
  // few kept values after reduced ones (an NHWC bias gradient): rows left over past whole blocks
  [
    [5, 7, 3],
    [
      [0, 1],
      [0, 2],
    ],
  ],
];
/** Sizes above the threading threshold, one per code path: outer, inner, middle, narrow, all, split row. */
const LONG: Array<[number[], number | number[] | undefined]> = [
  [
    [64, 24, 24, 16],
    [0, 1, 2],
  ],
  [[2500, 129], 1],
  [[2, 600, 257], 1],
  [
    [100, 50, 60],
    [0, 2],
  ],
  [
    [1031, 41, 7],
    [0, 1],
  ],
  [[300000], undefined],
  [[3, 100000], 0],
];

describe('native Sum, Mean, Max, Min, Prod', { skip }, () => {
  for (const [name, op] of Object.entries(OPS)) {
    it(`${name} over every axes pattern, keepDims false and true`, async () => {
      const range = name === 'Prod' ? 1.5 : 4;
      for (const [shape, axesList] of CASES) {
        for (const axes of axesList) {
          for (const keep of [false, true]) {
            await expectNative(name, () =>
              assertSameOnBackends(
                () => op(seeded(shape, 5, 'float32', range), axes, keep),
                1e-5,
                `${name} [${shape}] ${axes}`,
              ),
            );
          }
        }
      }
    });
    it(`${name} on long, multi-threaded reductions`, async () => {
      for (const [shape, axes] of LONG) {
        const x = () =>
          name === 'Prod' ? tf.add(seeded(shape, 5, 'float32', 1e-4), 1) : seeded(shape, 5, 'float32', 4);
        await expectNative(name, () =>
          assertSameOnBackends(() => op(x(), axes), 1e-4, `${name} [${shape}] ${axes}`),
        );
      }
    });
    if (name !== 'Mean') {
      it(`${name} on int32 (exact)`, async () => {
        for (const [shape, axesList] of CASES) {
          for (const axes of axesList) {
            await expectNative(name, () =>
              assertSameOnBackends(
                () => op(seeded(shape, 6, 'int32', 5), axes),
                0,
                `${name} [${shape}] ${axes}`,
              ),
            );
          }
        }
        await expectNative(name, () =>
          assertSameOnBackends(
            () => op(seeded([64, 24, 24, 16], 6, 'int32', name === 'Prod' ? 1 : 1000), [0, 1, 2]),
            0,
          ),
        );
      });
    }
  }
  it('Max and Min propagate NaN; ±Infinity survive', async () => {
    const x = () =>
      tf.tensor([
        [1, Number.NaN, 3],
        [Number.NEGATIVE_INFINITY, 2, Number.POSITIVE_INFINITY],
        [4, 5, 6],
      ]);
    for (const op of [tf.max, tf.min, tf.sum, tf.mean, tf.prod]) {
      await expectNative(NAME.get(op)!, () => assertSameOnBackends(() => op(x(), 0)));
      await expectNative(NAME.get(op)!, () => assertSameOnBackends(() => op(x(), 1)));
      await expectNative(NAME.get(op)!, () => assertSameOnBackends(() => op(x())));
    }
  });
  it('Mean of int32 runs the cpu kernel; tf.sum casts bool to int32 and sums natively', async () => {
    await expectFallback('Mean', 'dtype', () =>
      assertSameOnBackends(() => tf.mean(seeded([4, 5], 1, 'int32', 9), 1)),
    );
    await expectNative(['Cast', 'Sum'], () =>
      assertSameOnBackends(() => tf.sum(tf.greater(seeded([4, 5], 1), 0), 0), 0),
    );
  });
  it('zero-size inputs: empty outputs and empty reductions as the cpu kernels define them', async () => {
    for (const op of [tf.sum, tf.mean, tf.prod, tf.max, tf.min]) {
      await expectFallback(NAME.get(op)!, 'empty', () => assertSameOnBackends(() => op(tf.zeros([0, 3]), 1)));
      await expectFallback(NAME.get(op)!, 'empty', () =>
        assertSameOnBackends(() => op(tf.zeros([3, 0]), 1, true)),
      );
    }
  });
});

describe('native ArgMax and ArgMin', { skip }, () => {
  it('every axis, float32 and int32 (first index of ties)', async () => {
    for (const op of [tf.argMax, tf.argMin]) {
      await expectNative(ARG(op), () => assertSameOnBackends(() => op(seeded([7], 1)), 0));
      for (const axis of [0, 1, 2, -1]) {
        await expectNative(ARG(op), () => assertSameOnBackends(() => op(seeded([3, 4, 5], 2), axis), 0));
        await expectNative(ARG(op), () =>
          assertSameOnBackends(() => op(seeded([3, 4, 5], 3, 'int32', 2), axis), 0),
        );
      }
      await expectNative(ARG(op), () => assertSameOnBackends(() => op(seeded([640, 201], 4), -1), 0));
      await expectNative(ARG(op), () => assertSameOnBackends(() => op(seeded([2, 600, 257], 4), 1), 0));
    }
  });
  it('NaN: a leading NaN is kept, a later NaN never wins', async () => {
    const x = () =>
      tf.tensor([
        [Number.NaN, 1, 2],
        [1, Number.NaN, 0],
        [0, 3, Number.NaN],
      ]);
    for (const op of [tf.argMax, tf.argMin]) {
      await expectNative(ARG(op), () => assertSameOnBackends(() => op(x(), 1), 0));
      await expectNative(ARG(op), () => assertSameOnBackends(() => op(x(), 0), 0));
    }
  });
});

describe('native reduction gradients', { skip }, () => {
  const grad =
    (op: Reduce, shape: number[], axes: number | number[] | undefined, keep = false) =>
    () =>
      tf.grad((x: tf.Tensor) => tf.mul(op(x, axes, keep), seeded(op(x, axes, keep).shape, 8)).sum())(
        seeded(shape, 7),
      );
  it('tf.grad of every reduction matches the cpu backend', async () => {
    for (const op of Object.values(OPS)) {
      for (const [shape, axes] of [
        [
          [3, 4, 5],
          [0, 2],
        ],
        [[2, 1, 3], 1],
        [[6], undefined],
        [
          [64, 12, 12, 16],
          [0, 1, 2],
        ],
      ] as const) {
        await expectNative(NAME.get(op)!, () =>
          assertSameOnBackends(grad(op, [...shape], axes as number | number[] | undefined), 1e-5),
        );
        await expectNative(NAME.get(op)!, () =>
          assertSameOnBackends(grad(op, [...shape], axes as number | number[] | undefined, true), 1e-5),
        );
      }
    }
  });
  it('the Sum and Mean gradient overrides give tfjs’s values bit for bit, on cpu, native and wasm', async () => {
    for (const [name, op] of [
      ['Sum', tf.sum],
      ['Mean', tf.mean],
    ] as const) {
      const original = tfjsReduceGrad(name);
      assert.ok(original, `${name}'s gradient was not replaced`);
      for (const backend of ['cpu', 'native', 'wasm'] as const) {
        await assertSameAsTfjsGradient(original, backend, grad(op, [3, 4, 5], [0, 2]));
        await assertSameAsTfjsGradient(original, backend, grad(op, [64, 12, 12, 16], [0, 1, 2], true));
        await assertSameAsTfjsGradient(original, backend, grad(op, [7], undefined));
        await assertSameAsTfjsGradient(original, backend, grad(op, [0, 3], 0));
      }
    }
  });
  it('repeated calls leave no tensors behind', async () => {
    await useBackend('native');
    const x = seeded([30, 40], 1);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) {
      tf.tidy(() => {
        for (const op of Object.values(OPS)) op(x, 0);
        tf.argMax(x, 1);
        tf.grad((y: tf.Tensor) => tf.mean(y, 0).sum())(x);
      });
    }
    assert.equal(tf.memory().numTensors, before);
    x.dispose();
  });
});
