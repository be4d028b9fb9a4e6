/**
 * d2l's optimizer chapter (§12.4–12.10), with d2l's hyper-parameters (batch 10, 4 epochs as
 * train_concise_ch11: sgd lr 0.05, momentum lr 0.005 μ 0.9, adagrad lr 0.1, rmsprop lr 0.01 γ 0.9,
 * adadelta ρ 0.9, adam lr 0.01). The airfoil set is not available offline, so the data is a
 * synthetic linear-regression set (test-utils/regression.ts), and what is checked is what the
 * chapter's curves show: each optimizer converges to the least-squares optimum of ½·MSE, computed
 * in closed form on the same data — within 0.01, and never below it (it is the minimum).
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { OptionsError, setSeed } from '@dlpipe/core';
import { tf } from '@dlpipe/engine';
import { CheckpointError } from '../errors.js';
import { linearRegressionSet } from '../test-utils/regression.js';
import { tensorDataSource } from '../train/data-source.js';
import { evaluate } from '../train/evaluate.js';
import { fit } from '../train/fit.js';
import { layersTask } from '../train/layers-task.js';
import {
  createOptimizer,
  getLearningRate,
  type OptimizerOptions,
  setLearningRate,
} from './create-optimizer.js';
import { AdamW, SGDW } from './decoupled.js';
import { cosineLr, createSchedule, exponentialLr, stepLr, warmup } from './schedules.js';

before(async () => {
  await tf.setBackend('cpu');
});

const halfMse = (yHat: tf.Tensor, y: tf.Tensor) =>
  tf.tidy(() => tf.mean(tf.squaredDifference(yHat, y)).div(2) as tf.Scalar);

describe("d2l's optimizers converge to the least-squares optimum of a linear-regression set", () => {
  const data = linearRegressionSet();
  it('the closed-form optimum leaves about half the variance, as the set is built', () => {
    assert.ok(data.optimum > 0.2 && data.optimum < 0.3, `optimum ${data.optimum}`);
  });
  const cases: OptimizerOptions[] = [
    { name: 'sgd', lr: 0.05 },
    { name: 'momentum', lr: 0.005, momentum: 0.9 },
    { name: 'adagrad', lr: 0.1 },
    { name: 'rmsprop', lr: 0.01, rho: 0.9 },
    { name: 'adadelta', lr: 1, rho: 0.9 },
    { name: 'adam', lr: 0.01 },
    { name: 'adamw', lr: 0.01, weightDecay: 0 },
    { name: 'sgdw', lr: 0.05, momentum: 0, weightDecay: 0 },
  ];
  for (const o of cases) {
    it(`${o.name} reaches the optimum within 0.01`, async () => {
      setSeed(1);
      const net = tf.sequential({
        layers: [
          tf.layers.dense({
            units: 1,
            inputShape: [5],
            kernelInitializer: tf.initializers.randomNormal({ stddev: 0.01 }),
          }),
        ],
      });
      const task = layersTask(net, { loss: halfMse });
      const train = tensorDataSource(data, { batchSize: 10, shuffle: true });
      await fit(task, train, { epochs: 4, optimizer: o, seed: 1, progress: false });
      const { loss } = await evaluate(task, tensorDataSource(data, { batchSize: 1500 }));
      assert.ok(loss! < data.optimum + 0.01, `${o.name}: loss ${loss} vs optimum ${data.optimum}`);
      assert.ok(loss! >= data.optimum - 1e-4, `${o.name}: loss ${loss} below the optimum ${data.optimum}`);
      net.dispose();
    });
  }
});

describe('decoupled weight decay', () => {
  it('AdamW with zero gradient shrinks weights by (1 − lr·λ) per step', () => {
    const w = tf.variable(tf.tensor1d([1, -2]), true, 'adamw_w');
    const opt = new AdamW({ learningRate: 0.1, weightDecay: 0.5 });
    opt.applyGradients({ adamw_w: tf.zeros([2]) });
    assert.deepEqual(
      Array.from(w.dataSync()).map((v) => +v.toFixed(6)),
      [0.95, -1.9],
    );
  });
  it('AdamW matches a hand-computed first step (PyTorch AdamW formula)', () => {
    const w = tf.variable(tf.tensor1d([1]), true, 'adamw_w2');
    const opt = new AdamW({ learningRate: 0.1, weightDecay: 0.01 });
    opt.applyGradients({ adamw_w2: tf.tensor1d([0.5]) });
    // m̂ = 0.5, v̂ = 0.25 → step = 0.5/(0.5+1e-8) ≈ 1; w = 1·(1−0.001) − 0.1·1 = 0.899
    assert.ok(Math.abs(w.dataSync()[0]! - 0.899) < 1e-6);
  });
  it('SGDW momentum follows PyTorch: buf = g, then μ·buf + g', () => {
    const w = tf.variable(tf.tensor1d([0]), true, 'sgdw_w');
    const opt = new SGDW({ learningRate: 1, momentum: 0.9 });
    opt.applyGradients({ sgdw_w: tf.tensor1d([1]) });
    opt.applyGradients({ sgdw_w: tf.tensor1d([1]) });
    assert.ok(Math.abs(w.dataSync()[0]! - -(1 + 1.9)) < 1e-6);
  });
  it('state round-trips through getWeights/setWeights', async () => {
    const w = tf.variable(tf.tensor1d([1, 2]), true, 'rt_w');
    const a = new AdamW({ learningRate: 0.1 });
    a.applyGradients({ rt_w: tf.tensor1d([0.3, -0.1]) });
    const saved = await a.getWeights();
    const b = new AdamW({ learningRate: 0.1 });
    await b.setWeights(saved.map((s) => ({ name: s.name, tensor: s.tensor.clone() })));
    assert.equal(b.iterations, 1);
    const w2 = tf.variable(w.clone(), true, 'rt_w2');
    a.applyGradients({ rt_w: tf.tensor1d([0.2, 0.2]) });
    b.applyGradients({ rt_w2: tf.tensor1d([0.2, 0.2]) });
    assert.deepEqual(Array.from(w2.dataSync()), Array.from(w.dataSync()));
  });
});

describe('optimizer options and learning rates', () => {
  it('names the bad field', () => {
    assert.throws(() => createOptimizer({ name: 'adam', lr: -1 }), /optimizer options: lr: /);
    assert.throws(() => createOptimizer({ name: 'lamb' as never, lr: 1 }), /name: /);
    assert.throws(() => createOptimizer({ name: 'adam', lr: -1 }), OptionsError);
  });
  it('refuses optimizer state saved by another optimizer (CheckpointError)', async () => {
    const adamw = new AdamW({ learningRate: 0.1 });
    const oneSlot = [
      { name: 'iter', tensor: tf.scalar(0) },
      { name: 'w/m', tensor: tf.zeros([1]) },
    ];
    await assert.rejects(adamw.setWeights(oneSlot), CheckpointError);
    await assert.rejects(adamw.setWeights(oneSlot), /expects 2 state tensors per variable, got 1 in all/);
  });
  it('setLearningRate works for every optimizer', () => {
    for (const name of [
      'sgd',
      'momentum',
      'adagrad',
      'rmsprop',
      'adadelta',
      'adam',
      'adamw',
      'sgdw',
    ] as const) {
      const o = createOptimizer({ name, lr: 0.1 });
      setLearningRate(o, 0.02);
      if (name !== 'momentum' && name !== 'sgd') assert.equal(getLearningRate(o), 0.02, name);
    }
    const w = tf.variable(tf.tensor1d([1]), true, 'lr_sgd');
    const sgd = createOptimizer({ name: 'sgd', lr: 1 });
    setLearningRate(sgd, 0.5);
    sgd.applyGradients({ lr_sgd: tf.tensor1d([1]) });
    assert.equal(w.dataSync()[0], 0.5);
  });
});

describe('schedules', () => {
  const at = (s: (c: { step: number; epoch: number }) => number, step: number, epoch = 0) =>
    s({ step, epoch });
  it('step decay and milestones', () => {
    const s = stepLr({ lr: 1, stepSize: 2, gamma: 0.5 });
    assert.deepEqual(
      [0, 1, 2, 3, 4].map((e) => at(s, 0, e)),
      [1, 1, 0.5, 0.5, 0.25],
    );
    const m = stepLr({ lr: 1, milestones: [15, 30], gamma: 0.5, unit: 'step' });
    assert.deepEqual(
      [0, 15, 29, 30].map((t) => at(m, t)),
      [1, 0.5, 0.5, 0.25],
    );
  });
  it('exponential', () => {
    assert.equal(at(exponentialLr({ lr: 2, gamma: 0.5, unit: 'step' }), 3), 0.25);
  });
  it("cosine with warm-up as d2l's CosineScheduler (max_update 20, base 0.3, final 0.01, warmup 5)", () => {
    const s = warmup(cosineLr({ lr: 0.3, finalLr: 0.01, totalSteps: 15 }), { steps: 5 });
    assert.equal(at(s, 0), 0);
    assert.ok(Math.abs(at(s, 2) - 0.12) < 1e-12);
    assert.equal(at(s, 5), 0.3);
    assert.ok(Math.abs(at(s, 5 + 7.5) - 0.155) < 1e-12); // halfway: (0.3+0.01)/2
    assert.equal(at(s, 25), 0.01);
  });
  it('createSchedule from data, with a clear error', () => {
    assert.equal(at(createSchedule(0.1, { type: 'exponential', gamma: 0.5 }), 0, 2), 0.025);
    assert.throws(() => createSchedule(0.1, { type: 'cosine' } as never), /schedule options: totalSteps/);
  });
});

it('createOptimizer rejects an option the chosen optimizer would ignore, naming who takes it', () => {
  assert.throws(
    () => createOptimizer({ name: 'sgd', lr: 0.2, weightDecay: 5e-4 }),
    (e: Error) =>
      e instanceof OptionsError &&
      /'sgd' does not use weightDecay; it applies to adamw, sgdw/.test(e.message),
  );
  assert.throws(() => createOptimizer({ name: 'adam', lr: 0.1, momentum: 0.9 }), OptionsError);
  const ok = createOptimizer({ name: 'sgdw', lr: 0.2, weightDecay: 5e-4 });
  assert.ok(ok instanceof SGDW);
  ok.dispose();
});
