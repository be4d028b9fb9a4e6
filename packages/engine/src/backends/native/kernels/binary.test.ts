/**
 * Native binary kernels (binary.ts) against tfjs's cpu kernels on seeded inputs: every op, every
 * broadcast pattern (scalar, rank mismatch, both sides, [3,1]×[1,4]), odd and multi-threaded
 * sizes, zero-size tensors, int32 and bool operands, NaN, and gradients through tf.grads.
 * Relative tolerance 1e-5 of the largest cpu magnitude (exact for int32 and bool outputs).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { useBackend } from '../../../backend.js';
import * as tf from '../../../tf.js';
import {
  assertSameOnBackends,
  expectFallback,
  expectNative,
  nativeSkip,
  seeded,
  withDispatchCounts,
} from '../test-helpers.js';

const skip = nativeSkip;

type Op = (a: tf.Tensor, b: tf.Tensor) => tf.Tensor;

const ARITH: Record<string, Op> = {
  Add: tf.add,
  Sub: tf.sub,
  Multiply: tf.mul,
  Maximum: tf.maximum,
  Minimum: tf.minimum,
  SquaredDifference: tf.squaredDifference,
  FloorDiv: tf.floorDiv,
};
const COMPARE: Record<string, Op> = {
  Greater: tf.greater,
  GreaterEqual: tf.greaterEqual,
  Less: tf.less,
  LessEqual: tf.lessEqual,
  Equal: tf.equal,
  NotEqual: tf.notEqual,
};
const FLOAT_ONLY: Record<string, Op> = { RealDiv: tf.div, Pow: tf.pow };

/** Broadcast pairs: same shape, scalars, rank mismatch, one or both sides broadcasting, odd sizes. */
const PAIRS: Array<[number[], number[]]> = [
  [
    [2, 3],
    [2, 3],
  ],
  [[], []],
  [[2, 3], []],
  [[], [4]],
  [
    [3, 1],
    [1, 4],
  ],
  [[2, 3, 4], [4]],
  [
    [2, 3, 4],
    [3, 1],
  ],
  [
    [5, 1, 7],
    [1, 6, 1],
  ],
  [[1], [5]],
  [[1, 1], [1]],
  [
    [4, 1, 3, 1],
    [1, 5, 1, 2],
  ],
  [[7, 13], [13]],
  [
    [7, 13],
    [7, 1],
  ],
  [[600, 513], [513]], // above the threading threshold (2^18)
  [[40001, 7], [7]], // a short repeated row (an NHWC bias), tiled; threaded, a part chunk at the end
  [
    [1, 600, 513],
    [600, 1],
  ],
  [
    [2, 96, 400],
    [2, 96, 400],
  ],
];

/** Inputs without exact ties on float (seeded values), with many ties on int32. */
function pair(a: number[], b: number[], dtype: 'float32' | 'int32' = 'float32'): [tf.Tensor, tf.Tensor] {
  const range = dtype === 'int32' ? 6 : 2;
  return [seeded(a, 11, dtype, range), seeded(b, 23, dtype, range)];
}

describe('native binary ops with broadcasting (float32)', { skip }, () => {
  for (const [name, op] of Object.entries({ ...ARITH, ...COMPARE, ...FLOAT_ONLY })) {
    it(name, async () => {
      await expectNative(name, async () => {
        for (const [a, b] of PAIRS) {
          await assertSameOnBackends(() => op(...pair(a, b)), 1e-5, `${name} [${a}]×[${b}]`);
          await assertSameOnBackends(() => op(...pair(b, a)), 1e-5, `${name} [${b}]×[${a}]`);
        }
      });
    });
  }
  it('Pow with negative bases and integer or fractional exponents (NaN where Math.pow is)', async () => {
    await expectNative(['Pow', 'Tile'], () =>
      assertSameOnBackends(() =>
        tf.pow(seeded([40], 3, 'float32', 3), tf.tensor([2, 0.5, -1, 3]).tile([10])),
      ),
    );
  });
  it('Maximum and Minimum propagate NaN from either side; comparisons with NaN are false', async () => {
    const withNaN = () => tf.tensor([Number.NaN, 1, -2, Number.NaN, 0.5]);
    const other = () => tf.tensor([1, Number.NaN, 3, Number.NaN, -0.5]);
    await expectNative(['Maximum', 'Minimum', 'Greater', 'Equal', 'NotEqual', 'LessEqual'], async () => {
      for (const op of [tf.maximum, tf.minimum, tf.greater, tf.equal, tf.notEqual, tf.lessEqual]) {
        await assertSameOnBackends(() => op(withNaN(), other()));
      }
    });
  });
  it('RealDiv and FloorDiv by zero: ±Infinity / NaN, and 0 after FloorDiv’s int32 conversion', async () => {
    const a = () => tf.tensor([1, -1, 0, 5e9, -7.5]);
    const b = () => tf.tensor([0, 0, 0, 1, 2]);
    await expectNative('RealDiv', () => assertSameOnBackends(() => tf.div(a(), b())));
    await expectNative('FloorDiv', () => assertSameOnBackends(() => tf.floorDiv(a(), b())));
  });
  it('zero-size operands give empty outputs of the broadcast shape', async () => {
    for (const [a, b] of [
      [[2, 0, 3], [3]],
      [[0], []],
      [
        [0, 4],
        [1, 4],
      ],
    ] as Array<[number[], number[]]>) {
      await expectNative('Add', () => assertSameOnBackends(() => tf.add(...pair(a, b))));
      await expectNative('Greater', () => assertSameOnBackends(() => tf.greater(...pair(a, b))));
    }
  });
});

describe('native binary ops on int32 and bool', { skip }, () => {
  for (const [name, op] of Object.entries({ ...ARITH, ...COMPARE })) {
    it(`${name} int32`, async () => {
      await expectNative(name, async () => {
        for (const [a, b] of PAIRS.slice(0, 14)) {
          await assertSameOnBackends(() => op(...pair(a, b, 'int32')), 0, `${name} [${a}]×[${b}]`);
        }
      });
    });
  }
  it('int32 RealDiv (tf.div runs FloorDiv), negative operands, division by zero, wrap-around', async () => {
    const a = () => tf.tensor([7, -7, 7, -7, 5, 0, 2147483647, -2147483648], undefined, 'int32');
    const b = () => tf.tensor([2, 2, -2, -2, 0, 3, 2, -1], undefined, 'int32');
    await expectNative(['FloorDiv', 'Add', 'Sub', 'Multiply', 'SquaredDifference'], async () => {
      for (const op of [tf.div, tf.floorDiv, tf.add, tf.sub, tf.mul, tf.squaredDifference]) {
        await assertSameOnBackends(() => op(a(), b()), 0);
      }
    });
  });
  it('LogicalAnd, LogicalOr, Equal and NotEqual on bool, broadcasting', async () => {
    const p = () => tf.greater(seeded([3, 1, 5], 4), 0);
    const q = () => tf.greater(seeded([4, 1], 5), 0);
    await expectNative(['LogicalAnd', 'LogicalOr', 'Equal', 'NotEqual', 'Greater'], async () => {
      for (const op of [tf.logicalAnd, tf.logicalOr, tf.equal, tf.notEqual, tf.greater]) {
        await assertSameOnBackends(() => op(p(), q()), 0);
      }
    });
  });
  it('mixed dtypes (through runKernel) fall back to the cpu kernel', async () => {
    await expectFallback('Add', 'dtype', () =>
      assertSameOnBackends(() => {
        const inputs = { a: seeded([3, 4], 1), b: seeded([4], 2, 'int32', 5) };
        return tf.engine().runKernel('Add', inputs) as tf.Tensor;
      }),
    );
  });
});

describe('native Prelu, Select and AddN', { skip }, () => {
  it('Prelu with per-channel, scalar and full-shape alpha', async () => {
    for (const alpha of [[5], [], [2, 3, 5], [1, 1, 5]]) {
      await expectNative('Prelu', () =>
        assertSameOnBackends(() => tf.prelu(seeded([2, 3, 5], 1, 'float32', 3), seeded(alpha, 2))),
      );
    }
  });
  it('Select (tf.where) on float32, int32 and bool, with the condition broadcast by the op', async () => {
    const cond = (s: number[]) => tf.greater(seeded(s, 7), 0);
    const counts = await withDispatchCounts(async () => {
      await assertSameOnBackends(() => tf.where(cond([4, 5]), seeded([4, 5], 1), seeded([4, 5], 2)));
      await assertSameOnBackends(() => tf.where(cond([4, 1]), seeded([4, 5], 1), seeded([5], 2)));
      await assertSameOnBackends(() => tf.where(cond([600, 513]), seeded([600, 513], 1), tf.scalar(-1e6)));
      await assertSameOnBackends(
        () => tf.where(cond([6]), seeded([6], 1, 'int32', 9), seeded([6], 2, 'int32', 9)),
        0,
      );
      await assertSameOnBackends(() => tf.where(cond([6]), cond([6]), tf.logicalNot(cond([6]))), 0);
      await assertSameOnBackends(() => tf.where(cond([0, 3]), seeded([0, 3], 1), seeded([0, 3], 2)));
    });
    assert.deepEqual(counts.Select, { native: 6, fallback: 0, cpu: 0, reasons: {} });
  });
  it('AddN of float32 tensors, and of int32 ones through the cpu kernel', async () => {
    await expectNative('AddN', async () => {
      await assertSameOnBackends(() => tf.addN([seeded([3, 7], 1), seeded([3, 7], 2), seeded([3, 7], 3)]));
      await assertSameOnBackends(() => tf.addN([seeded([600, 600], 1), seeded([600, 600], 2)]));
    });
    await expectFallback('AddN', 'dtype', () =>
      assertSameOnBackends(() => tf.addN([seeded([4], 1, 'int32', 9), seeded([4], 2, 'int32', 9)]), 0),
    );
  });
});

describe('native binary gradients and memory', { skip }, () => {
  it('tf.grads through broadcasting Add, Sub, Multiply, RealDiv, Pow; Maximum, SquaredDifference', async () => {
    for (const [a, b] of [
      [
        [3, 1],
        [1, 4],
      ],
      [[2, 3, 4], [4]],
      [[5], []],
    ] as Array<[number[], number[]]>) {
      await expectNative(['Add', 'Sub', 'Multiply', 'RealDiv', 'Pow', 'AddN', 'Sum'], () =>
        assertSameOnBackends(
          () =>
            tf.grads((x: tf.Tensor, y: tf.Tensor) => {
              const yPos = tf.add(tf.abs(y), 0.5);
              const terms = [tf.mul(x, y), tf.div(x, yPos), tf.sub(x, y), tf.add(x, y), tf.pow(yPos, x)];
              return tf.addN(terms.map((t) => t.sum()));
            })(pair(a, b)),
          1e-5,
          `grads [${a}]×[${b}]`,
        ),
      );
    }
    // tfjs's Maximum and SquaredDifference gradients do not reduce broadcast axes: same shapes only
    await expectNative(['SquaredDifference', 'Maximum'], () =>
      assertSameOnBackends(() =>
        tf.grads((x: tf.Tensor, y: tf.Tensor) =>
          tf.add(tf.squaredDifference(x, y).sum(), tf.maximum(x, y).sum()),
        )(pair([3, 5], [3, 5])),
      ),
    );
  });
  it('repeated calls leave no tensors behind', async () => {
    await useBackend('native');
    const a = seeded([30, 40], 1);
    const b = seeded([40], 2);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) {
      tf.tidy(() => {
        tf.add(a, b);
        tf.greater(a, b);
        tf.where(tf.less(a, 0), a, b);
        tf.addN([a, a]);
      });
    }
    assert.equal(tf.memory().numTensors, before);
    tf.dispose([a, b]);
  });
});
