/**
 * Saved tensors as handles on the same storage: the same gradients as tfjs's clones on a small
 * CNN, no Identity kernel per saved tensor, higher-order gradients still exact (they keep tfjs's
 * clones), and no tensor or storage leaked.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { useBackend } from '../backend.js';
import { diffDispatchCounts, dispatchCounts } from '../backends/native/dispatch-counts.js';
import { nativeSkip, seeded } from '../backends/native/test-helpers.js';
import * as tf from '../tf.js';
import { setLightSave } from './saved-tensors.js';

function withLightSave<T>(on: boolean, fn: () => T): T {
  const was = setLightSave(on);
  try {
    return fn();
  } finally {
    setLightSave(was);
  }
}

interface Net {
  k: tf.Variable;
  w: tf.Variable;
  x: tf.Tensor4D;
}

function net(): Net {
  return {
    k: tf.variable(seeded([3, 3, 2, 4], 1, 'float32', 0.4)),
    w: tf.variable(seeded([4 * 6 * 6, 3], 2, 'float32', 0.2)),
    x: seeded([5, 6, 6, 2], 3) as tf.Tensor4D,
  };
}

/** Loss and gradients of a conv → relu → dense net, and the Identity kernels the step ran. */
function step({ k, w, x }: Net): { loss: number; grads: Float32Array[]; identities: number } {
  const before = dispatchCounts();
  const { value, grads } = tf.variableGrads(() => {
    const h = tf.sigmoid(tf.relu(tf.conv2d(x, k as tf.Tensor4D, 1, 'same')));
    const logits = tf.matMul(tf.reshape(h, [5, -1]), w);
    return tf.mean(tf.square(tf.tanh(logits))) as tf.Scalar;
  }, [k, w]);
  const d = diffDispatchCounts(dispatchCounts(), before);
  const out = {
    loss: value.dataSync()[0]!,
    grads: [grads[k.name]!, grads[w.name]!].map((g) => g.dataSync().slice() as Float32Array),
    identities: (d.Identity?.cpu ?? 0) + (d.Identity?.native ?? 0),
  };
  tf.dispose([value, ...Object.values(grads)]);
  return out;
}

describe('saved tensors without a kernel each', { skip: nativeSkip }, () => {
  it("gives tfjs's gradients without an Identity kernel per saved tensor", async () => {
    await useBackend('native');
    const n = net();
    const tfjs = withLightSave(false, () => step(n));
    const light = withLightSave(true, () => step(n));
    assert.equal(light.loss, tfjs.loss);
    for (const [i, g] of light.grads.entries()) assert.deepEqual(g, tfjs.grads[i], `gradient ${i}`);
    assert.ok(tfjs.identities >= 6, `tfjs cloned ${tfjs.identities} saved tensors`);
    assert.ok(light.identities < tfjs.identities / 3, `${light.identities} Identity kernels left`);
    tf.dispose([n.k, n.w, n.x]);
  });
  it('leaks no tensor and keeps the storage count flat', async () => {
    await useBackend('native');
    const n = net();
    withLightSave(true, () => step(n));
    const before = tf.memory();
    withLightSave(true, () => {
      for (let i = 0; i < 3; i++) step(n);
    });
    const after = tf.memory();
    assert.equal(after.numTensors, before.numTensors);
    assert.equal(after.numDataBuffers, before.numDataBuffers);
    tf.dispose([n.k, n.w, n.x]);
  });
  it('keeps higher-order gradients exact (the inner pass is recorded, so it keeps clones)', async () => {
    await useBackend('native');
    const x = tf.tensor1d([0.5, -1.5, 2]);
    const f = (a: tf.Tensor) => tf.sum(tf.mul(tf.pow(a, 3), tf.sigmoid(a)));
    const d2 = (on: boolean) => withLightSave(on, () => tf.grad(tf.grad(f))(x).dataSync().slice());
    assert.deepEqual(d2(true), d2(false));
    // d²/dx² of x³ alone: 6x
    const cube = withLightSave(true, () => tf.grad(tf.grad((a: tf.Tensor) => tf.sum(tf.pow(a, 3))))(x));
    assert.deepEqual(Array.from(cube.dataSync()), [3, -9, 12]);
    tf.dispose([x, cube]);
  });
});
