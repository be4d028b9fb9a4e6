/**
 * The fused activation gradients (activation-grads.ts, activation-grad-registry.ts): tf.grad on
 * the native backend against the cpu backend (relative tolerance 1e-5), and dlpipe's override
 * against tfjs's own gradient on cpu, native and wasm (bit for bit for the elementwise ones; the
 * softmax row sums within 1e-6; wasm keeps tfjs's gradient), second-order gradients, special
 * values, and the fallback to tfjs's gradient where a backend lacks the kernel or the tensors are
 * int32.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { useBackend } from '../../../backend.js';
import * as tf from '../../../tf.js';
import { assertSameOnBackends, expectNative, nativeSkip, seeded } from '../test-helpers.js';
import { tfjsActivationGrad } from './activation-grad-registry.js';
import { assertSameAsTfjsGradient, valuesOn, withGradient } from './math-test-util.js';

const skip = nativeSkip;

type Unary = (x: tf.Tensor) => tf.Tensor;

const ACTIVATIONS: Array<[string, Unary]> = [
  ['Relu', tf.relu],
  ['Relu6', tf.relu6],
  ['LeakyRelu', (x) => tf.leakyRelu(x, 0.15)],
  ['Sigmoid', tf.sigmoid],
  ['Tanh', tf.tanh],
  ['Softmax', tf.softmax],
  ['Square', tf.square],
];

const SPECIAL = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 0, -0, 6, 6.5, -3, 2];

/** d/dx Σ w·f(x), with x scaled to cover each activation's kinks (0, 6). */
const grad = (f: Unary, shape: number[], x?: () => tf.Tensor) => () =>
  tf.grad((v: tf.Tensor) => tf.mul(f(v), seeded(shape, 3)).sum())(x ? x() : seeded(shape, 2, 'float32', 8));

/** d²/dx² Σ w·f(x) through tf.grad of tf.grad. */
const grad2 = (f: Unary, shape: number[]) => () =>
  tf.grad((v: tf.Tensor) =>
    tf
      .grad((u: tf.Tensor) => tf.mul(f(u), seeded(shape, 3)).sum())(v)
      .sum(),
  )(seeded(shape, 2, 'float32', 3));

describe('fused activation gradients', { skip }, () => {
  for (const [name, f] of ACTIVATIONS) {
    it(`${name}: native matches cpu, odd and multi-threaded shapes`, async () => {
      for (const s of [[7], [3, 1, 5], [600, 513]])
        await expectNative([name, `Dlpipe${name}Grad`], () =>
          assertSameOnBackends(grad(f, s), 1e-5, `${name} [${s}]`),
        );
      if (name !== 'Softmax')
        await expectNative([name, `Dlpipe${name}Grad`], () =>
          assertSameOnBackends(grad(f, [SPECIAL.length], () => tf.tensor(SPECIAL))),
        );
      await expectNative(
        [name, `Dlpipe${name}Grad`],
        () => assertSameOnBackends(grad(f, [0, 4], () => tf.zeros([0, 4]))),
        { allowFallback: ['Sum'] }, // the empty sum is the cpu kernel's
      );
    });
    it(`${name}: the override gives tfjs's own gradient on cpu and native`, async () => {
      const original = tfjsActivationGrad(name);
      assert.ok(original, `${name}'s gradient was not replaced`);
      const rtol = name === 'Softmax' ? 1e-6 : 0;
      for (const backend of ['cpu', 'native'] as const) {
        await assertSameAsTfjsGradient(original, backend, grad(f, [4, 9]), rtol);
        await assertSameAsTfjsGradient(original, backend, grad(f, [600, 513]), rtol);
      }
    });
  }
  it('second order: Relu and Square as tfjs; Relu6 and LeakyRelu zero (tfjs cannot: no gradient for its masks)', async () => {
    await assertSameAsTfjsGradient(tfjsActivationGrad('Relu')!, 'cpu', grad2(tf.relu, [4, 9]));
    await assertSameAsTfjsGradient(tfjsActivationGrad('Square')!, 'cpu', grad2(tf.square, [4, 9]));
    await expectNative(['Square', 'DlpipeSquareGrad'], () =>
      assertSameOnBackends(grad2(tf.square, [4, 9]), 1e-5),
    );
    for (const [name, f] of ACTIVATIONS.slice(0, 3)) {
      await expectNative(`Dlpipe${name}Grad`, () => assertSameOnBackends(grad2(f, [4, 9]), 0, name));
      const [values] = await valuesOn('native', grad2(f, [4, 9]));
      assert.ok(
        values!.every((v) => v === 0),
        `${name}'' is not zero`,
      );
    }
  });
  it('second order through a saved output (Sigmoid, Tanh, Softmax) fails as in tfjs', async () => {
    await useBackend('native');
    for (const [name, f] of ACTIVATIONS.slice(3, 6)) {
      assert.throws(() => grad2(f, [4, 9])(), /Cannot compute gradient/, name);
      await withGradient(tfjsActivationGrad(name)!, async () =>
        assert.throws(() => grad2(f, [4, 9])(), /Cannot compute gradient/),
      );
    }
  });
  /** Σ w·K(dy, y) by the fused kernel, and by tfjs ops, to differentiate both. */
  const FORMULAS: Array<[string, (dy: tf.Tensor, y: tf.Tensor) => tf.Tensor]> = [
    ['DlpipeSigmoidGrad', (dy, y) => tf.mul(dy, tf.mul(y, tf.sub(1, y)))],
    ['DlpipeTanhGrad', (dy, y) => tf.mul(tf.sub(1, tf.square(y)), dy)],
    ['DlpipeSoftmaxGrad', (dy, y) => tf.sub(tf.mul(dy, y), tf.mul(tf.sum(tf.mul(dy, y), -1, true), y))],
    ['DlpipeSquareGrad', (dy, x) => tf.mul(dy, tf.mul(x, 2))],
  ];
  it('the gradients of the fused kernels themselves match those of their formulas', async () => {
    for (const [kernel, formula] of FORMULAS) {
      const w = () => seeded([5, 6], 7);
      const viaKernel = () =>
        tf.grads((dy: tf.Tensor, y: tf.Tensor) =>
          tf
            .mul(
              tf
                .engine()
                .runKernel(kernel, { dy, [kernel === 'DlpipeSquareGrad' ? 'x' : 'y']: y }) as tf.Tensor,
              w(),
            )
            .sum(),
        )([seeded([5, 6], 1), seeded([5, 6], 2)]);
      const viaOps = () =>
        tf.grads((dy: tf.Tensor, y: tf.Tensor) => tf.mul(formula(dy, y), w()).sum())([
          seeded([5, 6], 1),
          seeded([5, 6], 2),
        ]);
      for (const backend of ['cpu', 'native'] as const) {
        const [a, b] = [await valuesOn(backend, viaKernel), await valuesOn(backend, viaOps)];
        a.forEach((v, i) => {
          v.forEach((x, j) => {
            assert.ok(Math.abs(x - b[i]![j]!) <= 1e-5, `${kernel} ${backend}[${i}][${j}]`);
          });
        });
      }
    }
  });
});

describe('fused activation gradients elsewhere', { skip }, () => {
  it('wasm has no fused kernel and keeps tfjs’s own gradient, with its values', async () => {
    for (const [name, f] of ACTIVATIONS) {
      assert.equal(tf.getKernel(`Dlpipe${name}Grad`, 'wasm'), undefined);
      const original = tfjsActivationGrad(name)!;
      await assertSameAsTfjsGradient(original, 'wasm', grad(f, [5, 8]));
    }
  });
  it('a backend without the kernel, and int32 activations, take tfjs’s gradient', async () => {
    await useBackend('cpu');
    const kernel = tf.getKernel('DlpipeReluGrad', 'cpu')!;
    tf.unregisterKernel('DlpipeReluGrad', 'cpu');
    try {
      const g = tf.tidy(() => Array.from(grad(tf.relu, [6])().dataSync()));
      assert.equal(g.length, 6);
    } finally {
      tf.registerKernel(kernel);
    }
    const gi = tf.tidy(() =>
      tf.grad((v: tf.Tensor) => tf.relu(v).sum())(tf.tensor([-2, 3], undefined, 'int32')),
    );
    assert.deepEqual(Array.from(gi.dataSync()), [0, 1]);
    gi.dispose();
  });
  it('repeated gradient steps leave no tensors behind', async () => {
    await useBackend('native');
    const x = seeded([30, 40], 1);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) {
      tf.tidy(() => {
        for (const [, f] of ACTIVATIONS) grad(f, [30, 40], () => x)();
      });
    }
    assert.equal(tf.memory().numTensors, before);
    x.dispose();
  });
});
