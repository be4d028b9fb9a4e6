/**
 * Native unary kernels, EluGrad and Cast (eltwise.ts) against tfjs's cpu kernels: seeded inputs
 * of odd, size-1, multi-threaded and zero sizes, special values (NaN, ±Infinity, ±0, overflow),
 * every attribute, int32 inputs, and gradients through tf.grads. Relative tolerance 1e-5 of the
 * largest cpu magnitude (exact for Cast).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { useBackend } from '../../../backend.js';
import * as tf from '../../../tf.js';
import { assertSameOnBackends, expectFallback, expectNative, nativeSkip, seeded } from '../test-helpers.js';

const skip = nativeSkip;

type Unary = (x: tf.Tensor) => tf.Tensor;

/** Ops defined on all reals, and ops that want positive inputs (log, sqrt …). */
const ANY: Record<string, Unary> = {
  Relu: tf.relu,
  Relu6: tf.relu6,
  Elu: tf.elu,
  LeakyRelu: (x) => tf.leakyRelu(x),
  Sigmoid: tf.sigmoid,
  Tanh: tf.tanh,
  Softplus: tf.softplus,
  Exp: tf.exp,
  Square: tf.square,
  Abs: tf.abs,
  Neg: tf.neg,
  Reciprocal: tf.reciprocal,
  Step: (x) => tf.step(x),
};
const POSITIVE: Record<string, Unary> = { Log: tf.log, Log1p: tf.log1p, Sqrt: tf.sqrt, Rsqrt: tf.rsqrt };

const SHAPES = [[], [7], [3, 1, 5], [1, 1], [600, 513]];
const SPECIAL = [
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  0,
  -0,
  1e-30,
  -1e-30,
  100,
  -100,
  6,
  6.5,
];

describe('native unary kernels', { skip }, () => {
  for (const [name, op] of Object.entries(ANY)) {
    it(name, async () => {
      await expectNative(name, async () => {
        for (const s of SHAPES)
          await assertSameOnBackends(() => op(seeded(s, 3, 'float32', 8)), 1e-5, `${name} [${s}]`);
        await assertSameOnBackends(() => op(tf.tensor(SPECIAL)), 1e-5, `${name} special values`);
        await assertSameOnBackends(() => op(tf.zeros([0, 3])), 1e-5, `${name} zero-size`);
      });
    });
  }
  for (const [name, op] of Object.entries(POSITIVE)) {
    it(`${name} (positive inputs, and NaN/±Infinity where Math gives them)`, async () => {
      await expectNative(name, async () => {
        for (const s of SHAPES) {
          await assertSameOnBackends(
            () => op(tf.add(tf.abs(seeded(s, 3, 'float32', 8)), 1e-3)),
            1e-5,
            `${name} [${s}]`,
          );
        }
        await assertSameOnBackends(
          () => op(tf.tensor([...SPECIAL, -1, -0.5])),
          1e-5,
          `${name} special values`,
        );
      });
    });
  }
  it('attributes: Step alpha, LeakyRelu alpha', async () => {
    for (const alpha of [0, 0.3, -2]) {
      await expectNative('Step', () =>
        assertSameOnBackends(() => tf.step(tf.tensor([-1, 0, 1, Number.NaN, -0]), alpha)),
      );
      await expectNative('LeakyRelu', () =>
        assertSameOnBackends(() => tf.leakyRelu(seeded([4, 9], 5, 'float32', 4), alpha)),
      );
    }
  });
  it('int32 inputs run the cpu kernels with tfjs’s output dtypes', async () => {
    const xi = () => seeded([12], 7, 'int32', 9);
    const ops = { Relu: tf.relu, Abs: tf.abs, Neg: tf.neg, Square: tf.square, Exp: tf.exp, Step: tf.step };
    for (const [name, op] of Object.entries(ops)) {
      await expectFallback(name, 'dtype', () => assertSameOnBackends(() => op(xi())));
    }
  });
  it('EluGrad through tf.grad of elu, and gradients of every unary op', async () => {
    const all = { ...ANY, ...POSITIVE };
    for (const [name, op] of Object.entries(all)) {
      const input = () =>
        POSITIVE[name]
          ? tf.add(tf.abs(seeded([5, 7], 9, 'float32', 3)), 0.1)
          : seeded([5, 7], 9, 'float32', 3);
      await expectNative(name, () =>
        assertSameOnBackends(
          () =>
            tf.grad((x: tf.Tensor) =>
              op(x)
                .mul(seeded([5, 7], 4))
                .sum(),
            )(input()),
          1e-5,
          name,
        ),
      );
    }
  });
});

describe('native Cast', { skip }, () => {
  const floats = () =>
    tf.tensor([1.7, -1.7, Number.NaN, Number.POSITIVE_INFINITY, 3e9, -3e9, 0.5, -0, 2147483647, 1e20]);
  it('float32 → int32 truncates and wraps as Int32Array.from; → bool is x ≠ 0 (NaN → true)', async () => {
    await expectNative('Cast', async () => {
      await assertSameOnBackends(() => tf.cast(floats(), 'int32'), 0);
      await assertSameOnBackends(() => tf.cast(floats(), 'bool'), 0);
    });
  });
  it('int32 and bool → float32, int32 → bool, bool → int32', async () => {
    const ints = () => tf.tensor([0, 5, -7, 2147483647, -2147483648], undefined, 'int32');
    const bools = () => tf.tensor([true, false, true]);
    // 2147483647 does not fit float32: the cpu kernel's shared int32 storage keeps it exact
    await expectFallback('Cast', 'no-copy', () => assertSameOnBackends(() => tf.cast(ints(), 'float32'), 0));
    const counts = await expectNative('Cast', async () => {
      await assertSameOnBackends(() => tf.cast(ints(), 'bool'), 0);
      await assertSameOnBackends(() => tf.cast(bools(), 'float32'), 0);
      await assertSameOnBackends(() => tf.cast(bools(), 'int32'), 0);
      await assertSameOnBackends(() => tf.cast(tf.zeros([0, 2], 'int32'), 'float32'), 0);
      await assertSameOnBackends(() => tf.cast(seeded([600, 600], 1, 'int32', 100), 'float32'), 0);
    });
    assert.equal(counts.Cast?.native, 5);
  });
  it('a widening cast gives float32 storage that native kernels read (no fallback)', async () => {
    await useBackend('native');
    const f = tf.cast(tf.tensor([1, 2, 3], undefined, 'int32'), 'float32');
    const backend = tf.backend() as unknown as { data: { get(id: tf.DataId): { values: unknown } } };
    assert.ok(backend.data.get(f.dataId).values instanceof Float32Array);
    assert.deepEqual(Array.from(tf.mul(f, 2).dataSync()), [2, 4, 6]);
    f.dispose();
  });
  it("oneHot's int32 values held in a Float32Array cast natively to float32 and bool", async () => {
    const labels = () => tf.oneHot(tf.tensor1d([0, 3, 1, 3], 'int32'), 4);
    const counts = await expectNative('Cast', async () => {
      await assertSameOnBackends(() => tf.cast(labels(), 'float32'), 0);
      await assertSameOnBackends(() => tf.cast(labels(), 'bool'), 0);
    });
    assert.equal(counts.Cast?.native, 2);
  });
  it('same-dtype casts and unsupported targets run the cpu kernel', async () => {
    await expectFallback('Cast', 'no-copy', () =>
      assertSameOnBackends(() => tf.cast(seeded([3], 1), 'float32')),
    );
    await expectFallback('Cast', 'dtype', () =>
      assertSameOnBackends(() => tf.real(tf.cast(seeded([3], 1), 'complex64'))),
    );
  });
  it('repeated calls leave no tensors behind', async () => {
    await useBackend('native');
    const x = seeded([30, 40], 1);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) {
      tf.tidy(() => {
        tf.sigmoid(x);
        tf.relu(x);
        tf.cast(x, 'int32');
        tf.grad((y: tf.Tensor) => tf.elu(y).sum())(x);
      });
    }
    assert.equal(tf.memory().numTensors, before);
    x.dispose();
  });
});
