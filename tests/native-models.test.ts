/**
 * The native engine on whole d2l models: LeNet, ResNet-18 and the Transformer give the same
 * losses over 5 training steps as tfjs's cpu backend (relative tolerance 1e-3: float32 sums in a
 * different order, compounded over 5 SGD/Adam steps), and 500 training steps keep the tensor count
 * flat and RSS bounded. Small batches (ResNet-18 at 16×16) keep the cpu side quick. The native
 * side asserts that each model's main kernels ran native code (`expectNative`): a fallback to the
 * cpu kernels would compare cpu with cpu. No fallback is allowed (the one-hot labels' Cast, whose
 * int32 values tfjs keeps in a Float32Array, runs natively too).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setSeed } from '@dlpipe/core';
import { expectNative, nativeSkip } from '@dlpipe/engine/testing';
import { useBackend } from '@dlpipe/tensor';
import { MODELS } from '../bench/models/index.js';

async function losses(
  backend: 'cpu' | 'native',
  model: keyof typeof MODELS,
  batch: number,
  size?: number,
  lr?: number,
) {
  await useBackend(backend);
  setSeed(7);
  const net = MODELS[model].create({ batch, size, lr });
  const out = Array.from({ length: 5 }, () => net.trainStep());
  net.dispose();
  return out;
}

/** The kernels each model claims to run natively on every training step. */
const NATIVE_KERNELS: Record<keyof typeof MODELS, string[]> = {
  lenet: [
    'FusedConv2D',
    'Conv2DBackpropInput',
    'Conv2DBackpropFilter',
    'AvgPool',
    'AvgPoolGrad',
    '_FusedMatMul',
    'Sigmoid',
    'DlpipeSigmoidGrad',
    'DlpipeSgdUpdate',
  ],
  resnet18: [
    'FusedConv2D',
    'Conv2DBackpropInput',
    'Conv2DBackpropFilter',
    'DlpipeBatchNormTrain',
    'DlpipeBatchNormTrainGrad',
    'MaxPool',
    'MaxPoolGrad',
    'Relu',
    'DlpipeReluGrad',
    'DlpipeSgdUpdate',
  ],
  transformer: [
    'BatchMatMul',
    'Softmax',
    'DlpipeSoftmaxGrad',
    'GatherV2',
    'UnsortedSegmentSum',
    'DlpipeAdamUpdate',
  ],
};

/** `losses` on native, asserting that the model's native kernels ran and nothing fell back. */
async function nativeLosses(model: keyof typeof MODELS, batch: number, size?: number, lr?: number) {
  let out: number[] = [];
  await expectNative(NATIVE_KERNELS[model], async () => {
    out = await losses('native', model, batch, size, lr);
  });
  return out;
}

describe('native engine on whole models', { skip: nativeSkip }, () => {
  // ResNet-18 with lr 0.003: on a batch of 8 random examples, larger rates (the benchmark's 0.05,
  // even 0.01) memorize within 3 steps with logits so sharp that float32 rounding differences of
  // 5e-7 in one batch-norm (measured) grow to several % by step 4 on any two backends; that says
  // nothing about the kernels.
  const cases: Array<[keyof typeof MODELS, number, number?, number?]> = [
    ['lenet', 8],
    ['resnet18', 8, 16, 0.003],
    ['transformer', 8],
  ];
  for (const [model, batch, size, lr] of cases) {
    it(`${model} (batch ${batch}${size ? `, ${size}×${size}` : ''}): same losses as cpu over 5 steps`, async () => {
      const cpu = await losses('cpu', model, batch, size, lr);
      const native = await nativeLosses(model, batch, size, lr);
      assert.ok(cpu[4]! !== cpu[0]!, 'the loss moves');
      cpu.forEach((l, i) => {
        assert.ok(
          Math.abs(l - native[i]!) <= 1e-3 * Math.max(1, Math.abs(l)),
          `step ${i + 1}: cpu ${l}, native ${native[i]}`,
        );
      });
    });
  }

  it('500 LeNet training steps: numTensors flat, RSS bounded', async () => {
    await useBackend('native');
    setSeed(1);
    const net = MODELS.lenet.create({ batch: 16 });
    const { tf } = await import('@dlpipe/tensor');
    for (let i = 0; i < 20; i++) net.trainStep(); // warm-up: primitive caches, optimizer state
    const tensors = tf.memory().numTensors;
    const rss = process.memoryUsage().rss;
    for (let i = 0; i < 500; i++) net.trainStep();
    assert.equal(tf.memory().numTensors, tensors);
    const grown = (process.memoryUsage().rss - rss) / 2 ** 20;
    assert.ok(grown < 64, `RSS grew ${grown.toFixed(1)} MiB over 500 steps`);
    net.dispose();
  });
});
