/**
 * Backprop that frees as it goes: the same gradients with the release on and off (conv, batch
 * norm, relu, reshape/identity chains, broadcasting, a customGrad), a caller's dy left intact,
 * higher-order gradients, no tensor leaked over steps, and less memory alive late in the backward
 * pass (measured by a probe whose gradient runs last).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { useBackend } from '../backend.js';
import { nativeSkip, seeded } from '../backends/native/test-helpers.js';
import * as tf from '../tf.js';
import { setBackpropRelease } from './backprop-release.js';

function withRelease<T>(on: boolean, fn: () => T): T {
  const was = setBackpropRelease(on);
  try {
    return fn();
  } finally {
    setBackpropRelease(was);
  }
}

/** Bytes alive when the probe's gradient runs (it wraps the first layer's output: nearly last). */
let probeBytes = 0;
const probe = tf.customGrad((...args) => ({
  value: (args[0] as tf.Tensor).clone(),
  gradFunc: (dy: tf.Tensor) => {
    probeBytes = tf.memory().numBytes;
    return dy.clone();
  },
})) as (x: tf.Tensor) => tf.Tensor;

/** A small CNN with the ops whose gradients alias or save tensors; its loss and gradients. */
function step(vars: tf.Variable[], x: tf.Tensor4D): { loss: number; grads: Float32Array[] } {
  const [k1, k2, dense, bias] = vars as [tf.Variable, tf.Variable, tf.Variable, tf.Variable];
  const { value, grads } = tf.variableGrads(() => {
    const h1 = probe(tf.relu(tf.conv2d(x, k1 as tf.Tensor4D, 1, 'same'))) as tf.Tensor4D;
    const { mean, variance } = tf.moments(h1, [0, 1, 2]);
    const h2 = tf.batchNorm(h1, mean, variance, undefined, undefined, 1e-5) as tf.Tensor4D;
    const h3 = tf.clone(tf.reshape(tf.conv2d(h2, k2 as tf.Tensor4D, 2, 'same'), [x.shape[0], -1]));
    const logits = tf.add(tf.matMul(tf.sigmoid(h3), dense), bias);
    return tf.mean(tf.square(logits)) as tf.Scalar;
  }, vars);
  const out = {
    loss: value.dataSync()[0]!,
    grads: vars.map((v) => grads[v.name]!.dataSync().slice() as Float32Array),
  };
  tf.dispose([value, ...Object.values(grads)]);
  return out;
}

function model() {
  const vars = [
    tf.variable(seeded([3, 3, 2, 8], 1, 'float32', 0.4)),
    tf.variable(seeded([3, 3, 8, 4], 2, 'float32', 0.3)),
    tf.variable(seeded([4 * 4 * 4, 3], 3, 'float32', 0.2)),
    tf.variable(seeded([3], 4)),
  ];
  const x = seeded([6, 8, 8, 2], 5) as tf.Tensor4D;
  return { vars, x, dispose: () => tf.dispose([...vars, x]) };
}

for (const backend of ['cpu', 'native'] as const) {
  describe(`backprop release on ${backend}`, { skip: backend === 'native' ? nativeSkip : false }, () => {
    it('gives the same loss and gradients as tfjs, with less memory alive late in the backward pass', async () => {
      await useBackend(backend);
      const m = model();
      const off = withRelease(false, () => step(m.vars, m.x));
      const bytesOff = probeBytes;
      const on = withRelease(true, () => step(m.vars, m.x));
      const bytesOn = probeBytes;
      assert.equal(on.loss, off.loss);
      for (const [i, g] of on.grads.entries()) assert.deepEqual(g, off.grads[i], `gradient ${i}`);
      assert.ok(
        bytesOn < bytesOff * 0.8,
        `alive at the last gradient: ${bytesOn} B released, ${bytesOff} B kept`,
      );
      m.dispose();
    });
    it('leaks no tensor over training steps', async () => {
      await useBackend(backend);
      const m = model();
      withRelease(true, () => step(m.vars, m.x));
      const before = tf.memory().numTensors;
      withRelease(true, () => {
        for (let i = 0; i < 3; i++) step(m.vars, m.x);
      });
      assert.equal(tf.memory().numTensors, before);
      m.dispose();
    });
  });
}

describe('backprop release keeps what the caller still holds', () => {
  it("leaves the caller's dy intact, through identity-like gradients", async () => {
    await useBackend('cpu');
    const x = tf.tensor1d([1, 2, 3]);
    const dy = tf.tensor1d([0.5, -1, 2]);
    const f = (a: tf.Tensor) => tf.clone(tf.reshape(tf.clone(tf.mul(a, 2)), [3]));
    const [g] = withRelease(true, () => tf.grads(f)([x], dy));
    assert.deepEqual(Array.from(g!.dataSync()), [1, -2, 4]);
    assert.ok(!dy.isDisposed);
    assert.deepEqual(Array.from(dy.dataSync()), [0.5, -1, 2]);
    tf.dispose([x, dy, g!]);
  });
  it('computes higher-order gradients (a backward pass recorded on an outer tape)', async () => {
    await useBackend('cpu');
    const x = tf.tensor1d([0.5, -1.5, 2]);
    // f = Σ x³ · sigmoid(x): the second derivative through a backward pass of several ops
    const f = (a: tf.Tensor) => tf.sum(tf.mul(tf.pow(a, 3), tf.sigmoid(a)));
    const d2 = (on: boolean) => withRelease(on, () => tf.grad(tf.grad(f))(x).dataSync().slice());
    assert.deepEqual(d2(true), d2(false));
    x.dispose();
  });
});
