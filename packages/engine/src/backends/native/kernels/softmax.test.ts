/**
 * Native Softmax and LogSoftmax (softmax.ts) against tfjs's cpu backend (the Softmax kernel; for
 * LogSoftmax, which tfjs computes with ops, `tf.logSoftmax`): odd, size-1, masked (-1e6) and
 * multi-threaded shapes, NaN and ±Infinity, zero-size tensors, and tf.grad. Relative tolerance
 * 1e-5 of the largest cpu magnitude.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { useBackend } from '../../../backend.js';
import * as tf from '../../../tf.js';
import { assertSameOnBackends, expectNative, nativeSkip, seeded } from '../test-helpers.js';
import { valuesOn } from './math-test-util.js';

const skip = nativeSkip;

const SHAPES = [[5], [3, 7], [2, 3, 10], [1, 1], [4, 1], [640, 201], [256, 10, 10], [4096, 64]];

/** Scores with every third key of each row masked to -1e6, as d2l's masked softmax. */
function masked(shape: number[]): tf.Tensor {
  const x = seeded(shape, 2, 'float32', 6);
  const cols = shape[shape.length - 1]!;
  const keep = tf.tensor(Array.from({ length: cols }, (_, i) => i % 3 !== 2));
  return tf.where(tf.broadcastTo(keep, shape), x, tf.fill(shape, -1e6));
}

function logSoftmaxKernel(x: tf.Tensor, axis = -1): tf.Tensor {
  return tf.engine().runKernel('LogSoftmax', { logits: x }, { axis }) as tf.Tensor;
}

describe('native Softmax', { skip }, () => {
  it('odd, size-1, large and masked shapes', async () => {
    await expectNative('Softmax', async () => {
      for (const s of SHAPES) {
        await assertSameOnBackends(() => tf.softmax(seeded(s, 1, 'float32', 8)), 1e-5, `softmax [${s}]`);
        await assertSameOnBackends(() => tf.softmax(masked(s)), 1e-5, `masked softmax [${s}]`);
      }
    });
  });
  it('NaN in a row gives a NaN row; large logits do not overflow', async () => {
    await expectNative('Softmax', () =>
      assertSameOnBackends(() =>
        tf.softmax(
          tf.tensor([
            [1, Number.NaN, 3],
            [1000, 0, -1000],
            [88, 89, 90],
          ]),
        ),
      ),
    );
  });
  it('zero-size logits give an empty output', async () => {
    await expectNative('Softmax', async () => {
      await assertSameOnBackends(() => tf.softmax(tf.zeros([0, 5])));
      await assertSameOnBackends(() => tf.softmax(tf.zeros([3, 0])));
    });
  });
  it('tf.grad through softmax', async () => {
    for (const s of [
      [3, 7],
      [256, 10, 10],
      [4096, 64],
    ]) {
      await expectNative(['Softmax', 'DlpipeSoftmaxGrad'], () =>
        assertSameOnBackends(() =>
          tf.grad((x: tf.Tensor) => tf.mul(tf.softmax(x), seeded(s, 5)).sum())(seeded(s, 4)),
        ),
      );
    }
  });
});

describe('native LogSoftmax kernel', { skip }, () => {
  const compare = async (x: () => tf.Tensor, what: string) => {
    const [expected] = await valuesOn('cpu', () => tf.logSoftmax(x()));
    const counts = await expectNative('LogSoftmax', () => valuesOn('native', () => logSoftmaxKernel(x())));
    assert.equal(counts.LogSoftmax?.native, 1);
    const [actual] = await valuesOn('native', () => logSoftmaxKernel(x()));
    const scale = expected!.reduce((m, v) => (Number.isFinite(v) ? Math.max(m, Math.abs(v)) : m), 1);
    expected!.forEach((v, i) => {
      const w = actual![i]!;
      assert.ok(Object.is(v, w) || Math.abs(v - w) <= 1e-5 * scale, `${what}[${i}]: cpu ${v}, native ${w}`);
    });
  };
  it('matches tf.logSoftmax on the cpu backend, NaN and ±Infinity rows included', async () => {
    for (const s of SHAPES) await compare(() => seeded(s, 3, 'float32', 8), `[${s}]`);
    const inf = Number.POSITIVE_INFINITY;
    await compare(
      () =>
        tf.tensor([
          [1, Number.NaN, 3],
          [1000, 0, -1000],
          [1, inf, 2],
          [-inf, -inf, -inf],
          [-inf, 0, 1],
        ]),
      'special',
    );
  });
  it('rejects int32 logits and other axes with a message that says what it takes', async () => {
    await useBackend('native');
    assert.throws(() => logSoftmaxKernel(tf.tensor([[1, 2]], undefined, 'int32')), /expected float32 logits/);
    assert.throws(() => logSoftmaxKernel(tf.tensor([[1, 2]]), 0), /the last axis/);
  });
});

describe('native softmax memory', { skip }, () => {
  it('repeated calls leave no tensors behind', async () => {
    await useBackend('native');
    const x = seeded([30, 40], 1);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) {
      tf.tidy(() => {
        tf.softmax(x);
        logSoftmaxKernel(x);
        tf.grad((y: tf.Tensor) => tf.softmax(y).mul(x).sum())(x);
      });
    }
    assert.equal(tf.memory().numTensors, before);
    x.dispose();
  });
});
