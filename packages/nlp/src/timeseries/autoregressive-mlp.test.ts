/**
 * d2l's autoregressive MLP against PyTorch 1.13 (timeseries.reference.py, numbers in
 * reference-fixture.ts): the same initial weights, the same 32 examples in order, 4 Adam steps
 * (lr 0.01, batches of 16, mean squared error) give the same epoch losses and weights; the
 * one-step, multistep and k-step forecasts of the trained net equal d2l's PyTorch code. Plus the
 * layer shapes and initial ranges, option errors, and no tensor leak across training steps.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { type Callback, initBackend, tf } from '@dlpipe/tensor';
import { autoregressiveMlp, inputWidth, trainAutoregressive } from './autoregressive-mlp.js';
import { kStepPredictions, multistepPredictions, oneStepPredictions } from './forecast.js';
import { lagFeatures } from './lag-features.js';
import { PYTORCH, refInitialWeights, refSeries, TAU } from './reference-fixture.js';
import { TimeSeriesError } from './timeseries-error.js';

before(async () => {
  await initBackend();
});

function assertClose(
  actual: ArrayLike<number>,
  expected: readonly number[],
  tol: number,
  what: string,
): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) {
    assert.ok(
      Math.abs(actual[i]! - expected[i]!) <= tol,
      `${what}[${i}]: ${actual[i]} vs PyTorch ${expected[i]}`,
    );
  }
}

/** The reference's net: PyTorch's weights [out, in] set as tfjs kernels [in, out]. */
function referenceNet(): tf.Sequential {
  const w = refInitialWeights();
  const net = autoregressiveMlp({ tau: TAU });
  tf.tidy(() => {
    net.layers[0]!.setWeights([tf.transpose(tf.tensor2d(w.W1)), tf.tensor1d(w.b1)]);
    net.layers[1]!.setWeights([tf.transpose(tf.tensor2d(w.W2)), tf.tensor1d(w.b2)]);
  });
  return net;
}

const flat = (t: tf.Tensor) => Array.from(t.dataSync());

describe('autoregressive MLP (d2l §9.1)', () => {
  it('is Linear(τ, 10) → ReLU → Linear(10, 1) with Xavier kernels and U(±1/√fan_in) biases', () => {
    const net = autoregressiveMlp({ tau: 4, seed: 1 });
    const [k1, b1, k2, b2] = net.getWeights();
    assert.deepEqual([k1!.shape, b1!.shape, k2!.shape, b2!.shape], [[4, 10], [10], [10, 1], [1]]);
    assert.equal(inputWidth(net), 4);
    const xavier1 = Math.sqrt(6 / (4 + 10));
    assert.ok(flat(k1!).every((v) => Math.abs(v) <= xavier1));
    assert.ok(flat(b1!).every((v) => Math.abs(v) <= 1 / Math.sqrt(4)));
    assert.ok(flat(b2!).every((v) => Math.abs(v) <= 1 / Math.sqrt(10)));
    assert.ok(
      flat(b1!).some((v) => v !== 0),
      'biases are drawn, not zeros (PyTorch)',
    );
    const again = autoregressiveMlp({ tau: 4, seed: 1 });
    assert.deepEqual(flat(again.getWeights()[0]!), flat(k1!), 'a seed fixes the initial weights');
    net.dispose();
    again.dispose();
  });

  it('trains as PyTorch: 4 Adam steps give its losses and weights, then its forecasts', async () => {
    const x = refSeries();
    const { features, labels } = lagFeatures(x, TAU);
    const net = referenceNet();
    const { losses, steps } = await trainAutoregressive(net, features, labels, {
      nTrain: 32,
      numEpochs: 2,
      shuffle: false,
    });
    assert.equal(steps, 4);
    assertClose(losses, PYTORCH.epochLosses, 2e-6, 'epoch loss');
    const [k1, b1, k2, b2] = net.getWeights();
    assertClose(flat(tf.transpose(k1!)), PYTORCH.W1, 2e-6, 'W1');
    assertClose(flat(b1!), PYTORCH.b1, 2e-6, 'b1');
    assertClose(flat(tf.transpose(k2!)), PYTORCH.W2, 2e-6, 'W2');
    assertClose(flat(b2!), PYTORCH.b2, 2e-6, 'b2');
    assertClose(oneStepPredictions(net, x), PYTORCH.oneStep, 2e-6, 'one-step');
    assertClose(multistepPredictions(net, x, 36).slice(36), PYTORCH.multistep, 2e-6, 'multistep');
    const kStep = kStepPredictions(net, x, [1, 2, 4]);
    for (const f of kStep)
      assertClose(f.yHat, PYTORCH.kStep[String(f.k) as '1' | '2' | '4'], 2e-6, `${f.k}-step`);
    assert.deepEqual(
      kStep.map((f) => f.start),
      [4, 5, 7],
    );
    net.dispose();
  });

  it('holds tf.memory().numTensors flat across training steps and forecasts', async () => {
    const x = refSeries();
    const { features, labels } = lagFeatures(x, TAU);
    const net = autoregressiveMlp({ tau: TAU, seed: 3 });
    const counts: number[] = [];
    const probe: Callback = { onStepEnd: () => void counts.push(tf.memory().numTensors) };
    await trainAutoregressive(net, features, labels, {
      nTrain: 32,
      batchSize: 4,
      numEpochs: 3,
      callbacks: [probe],
    });
    assert.equal(counts.length, 24);
    assert.deepEqual(new Set(counts.slice(2)).size, 1, `numTensors per step: ${counts.join(', ')}`);
    const before = tf.memory().numTensors;
    oneStepPredictions(net, x);
    multistepPredictions(net, x, 30);
    kStepPredictions(net, x, [1, 4]);
    assert.equal(tf.memory().numTensors, before);
    net.dispose();
  });

  it('refuses bad options and examples of the wrong width with a TimeSeriesError', async () => {
    assert.throws(
      () => autoregressiveMlp({ tau: 0 }),
      (e) => e instanceof TimeSeriesError && /tau/.test(e.message),
    );
    const net = autoregressiveMlp({ tau: 3 });
    await assert.rejects(
      trainAutoregressive(net, [[1, 2, 3, 4]], [5]),
      (e) => e instanceof TimeSeriesError && /3 features each/.test(e.message),
    );
    await assert.rejects(trainAutoregressive(net, [[1, 2, 3]], [4], { lr: -1 }), /lr/);
    assert.throws(
      () => multistepPredictions(net, [1, 2, 3, 4], 2),
      /start must be an integer in \[tau = 3, 4\]/,
    );
    net.dispose();
  });
});
