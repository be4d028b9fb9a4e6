/**
 * The fused training-mode batch norm against tfjs's own moments + batchNorm (the cpu backend
 * runs that path): values, gradients (also through the batch statistics), the layer's moving
 * statistics, its class name in saved models, and flat tensor counts over training steps. Each
 * comparison asserts that the native side ran the fused kernels (`expectNative`), so a fallback to
 * the tfjs ops cannot pass as a test of the kernels.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidArgumentError } from '@dlpipe/core';
import { BATCH_NORM_TRAIN, BATCH_NORM_TRAIN_GRAD, tf, useBackend } from '@dlpipe/engine';
import { assertSameOnBackends, expectNative, nativeSkip, seeded } from '@dlpipe/engine/testing';
import { ShapeMismatchError } from '../errors.js';
import { BatchNormalization, batchNormalization, batchNormTrain } from './batch-norm.js';

const skip = nativeSkip;

const shapes: number[][] = [
  [4, 5, 5, 8],
  [16, 3],
  [2, 1, 1, 1],
  [3, 9, 9, 64],
  [2, 3, 4, 5, 6],
];

describe('batchNormTrain', { skip }, () => {
  for (const s of shapes) {
    const c = s[s.length - 1]!;
    // Offset data (mean ≈ 10, std ≈ 3) to exercise the shifted variance.
    const x = () => seeded(s, 1, 'float32', 3).add(10);
    it(`x[${s}]: y, mean and variance equal tfjs's moments + batchNorm`, async () => {
      await expectNative(BATCH_NORM_TRAIN, () =>
        assertSameOnBackends(() => {
          const r = batchNormTrain(x(), seeded([c], 2) as tf.Tensor1D, seeded([c], 3) as tf.Tensor1D, 1e-5);
          return [r.y, r.mean, r.variance];
        }, 2e-5),
      );
    });
    it(`x[${s}]: gradients for x, scale and offset, also through the statistics`, async () => {
      const w = () => seeded(s, 7);
      await expectNative([BATCH_NORM_TRAIN, BATCH_NORM_TRAIN_GRAD], () =>
        assertSameOnBackends(
          () =>
            tf.grads((xi: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
              const r = batchNormTrain(xi, g as tf.Tensor1D, b as tf.Tensor1D, 1e-3);
              return r.y.mul(w()).sum().add(r.mean.mul(0.3).sum()).add(r.variance.mul(0.2).sum());
            })([x(), seeded([c], 2), seeded([c], 3)]),
          1e-4,
          'gradients',
        ),
      );
    });
  }

  it('refuses a scale of the wrong shape and an empty x', async () => {
    await useBackend('native');
    assert.throws(
      () => batchNormTrain(tf.zeros([2, 3]), tf.ones([4]) as tf.Tensor1D, null),
      /scale must have shape \[3\]/,
    );
    assert.throws(
      () => batchNormTrain(tf.zeros([2, 3]), tf.ones([4]) as tf.Tensor1D, null),
      ShapeMismatchError,
    );
    assert.throws(() => batchNormTrain(tf.zeros([0, 3]), null, null), /at least one element/);
    assert.throws(() => batchNormTrain(tf.zeros([0, 3]), null, null), InvalidArgumentError);
  });
});

describe('BatchNormalization layer', { skip }, () => {
  const run = () => {
    const layer = batchNormalization({ momentum: 0.9, epsilon: 1e-5 });
    layer.build([null, 6, 6, 4]);
    layer.setWeights([seeded([4], 2), seeded([4], 3), seeded([4], 4), seeded([4], 5).add(2)]);
    const y = layer.apply(seeded([3, 6, 6, 4], 1, 'float32', 2), { training: true }) as tf.Tensor;
    const inference = layer.apply(seeded([2, 6, 6, 4], 9), { training: false }) as tf.Tensor;
    const [, , movingMean, movingVariance] = layer.getWeights();
    return [y, inference, movingMean!.clone(), movingVariance!.clone()];
  };

  it('training output, moving statistics and inference equal the stock layer', async () => {
    // training runs the fused kernel, inference tfjs's FusedBatchNorm (native too)
    await expectNative([BATCH_NORM_TRAIN, 'FusedBatchNorm'], () => assertSameOnBackends(run, 2e-5));
  });

  it('a frozen layer normalizes with its moving statistics and does not update them (Keras)', async () => {
    for (const backend of ['native', 'cpu'] as const) {
      await useBackend(backend);
      const layer = batchNormalization({ epsilon: 1e-5 });
      layer.build([null, 3]);
      layer.setWeights([
        tf.tensor1d([2, 1, 1]),
        tf.tensor1d([0, 1, 0]),
        tf.tensor1d([1, 0, 0]),
        tf.tensor1d([4, 1, 1]),
      ]);
      layer.trainable = false;
      const y = layer.apply(
        tf.tensor2d([
          [3, 0, 0],
          [5, 2, 0],
        ]),
        { training: true },
      ) as tf.Tensor;
      // (x − 1)/√(4 + 1e-5)·2 + 0 on channel 0; moving statistics unchanged.
      assert.deepEqual(
        Array.from(y.dataSync()).map((v) => Math.round(v * 1e4) / 1e4),
        [2, 1, 0, 4, 3, 0],
      );
      assert.deepEqual(Array.from(layer.getWeights()[2]!.dataSync()), [1, 0, 0]);
      layer.trainable = true;
      layer.apply(
        tf.tensor2d([
          [3, 0, 0],
          [5, 2, 0],
        ]),
        { training: true },
      );
      assert.notDeepEqual(Array.from(layer.getWeights()[2]!.dataSync()), [1, 0, 0], backend);
    }
  });

  it('runs the fused kernels on native instead of moments (kernel names)', async () => {
    await useBackend('native');
    const layer = batchNormalization();
    const x = seeded([2, 3, 3, 4], 1);
    let kernels: Array<{ name: string }> = [];
    await expectNative(BATCH_NORM_TRAIN, async () => {
      ({ kernels } = await tf.profile(() => tf.tidy(() => layer.apply(x, { training: true }) as tf.Tensor)));
    });
    const names = new Set(kernels.map((k) => k.name));
    assert.ok(names.has('DlpipeBatchNormTrain'), [...names].join(','));
    assert.ok(!names.has('Mean'), [...names].join(','));
    tf.dispose(x);
  });

  it('saves under the stock class name and loads back as the fused layer', async () => {
    await useBackend('native');
    const input = tf.input({ shape: [4, 4, 2] });
    const out = batchNormalization().apply(input) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: out });
    const json = JSON.stringify(model.toJSON(null, false));
    assert.match(json, /"class_name":"BatchNormalization"/);
    const loaded = await tf.models.modelFromJSON(JSON.parse(json));
    assert.ok(loaded.layers[1] instanceof BatchNormalization);
  });

  it('keeps the tensor count flat over training steps', async () => {
    await useBackend('native');
    const input = tf.input({ shape: [5, 5, 3] });
    let h = tf.layers.conv2d({ filters: 4, kernelSize: 3 }).apply(input) as tf.SymbolicTensor;
    h = batchNormalization().apply(h) as tf.SymbolicTensor;
    h = tf.layers.flatten().apply(h) as tf.SymbolicTensor;
    const model = tf.model({
      inputs: input,
      outputs: tf.layers.dense({ units: 2 }).apply(h) as tf.SymbolicTensor,
    });
    const x = seeded([8, 5, 5, 3], 1);
    const y = tf.oneHot(tf.tensor1d([0, 1, 0, 1, 1, 0, 0, 1], 'int32'), 2);
    const opt = tf.train.sgd(0.1);
    const step = () =>
      tf.tidy(() => {
        opt.minimize(
          () =>
            tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar,
        );
      });
    // The whole step on native code: convolution, fused batch norm and their gradients (and the
    // labels' Cast: no kernel falls back). The conv reads the input images, which nothing trains:
    // no input gradient is computed (engine's fusion/fused-conv-grad.ts).
    const counts = await expectNative(
      [BATCH_NORM_TRAIN, BATCH_NORM_TRAIN_GRAD, 'FusedConv2D', 'Conv2DBackpropFilter'],
      step,
    );
    assert.equal(counts.Conv2DBackpropInput, undefined);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) step();
    assert.equal(tf.memory().numTensors, before);
    tf.dispose([x, y]);
    opt.dispose();
  });
});
