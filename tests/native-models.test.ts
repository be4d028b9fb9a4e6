/**
 * The native engine on whole d2l models: LeNet, ResNet-18 (as Layers and as plain tf ops, whose
 * batch norm is `tf.moments` + `tf.batchNorm`, fused), the Transformer and the char GRU/LSTM
 * language models (tfjs-layers cells and d2l's scratch cells) give the same
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
  steps = 5,
) {
  await useBackend(backend);
  setSeed(7);
  const net = MODELS[model].create({ batch, size, lr });
  const out = Array.from({ length: steps }, () => net.trainStep());
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
  // plain ops: conv2d + add, moments + batchNorm (fused), tfjs's SGD (Mul, Sub per variable)
  'lenet-ops': [
    'Conv2D',
    'Conv2DBackpropInput',
    'Conv2DBackpropFilter',
    'AvgPool',
    'AvgPoolGrad',
    'BatchMatMul',
    'Sigmoid',
    'DlpipeSigmoidGrad',
  ],
  'resnet18-ops': [
    'Conv2D',
    'Conv2DBackpropInput',
    'Conv2DBackpropFilter',
    'DlpipeBatchNormTrain',
    'DlpipeBatchNormTrainGrad',
    'MaxPool',
    'MaxPoolGrad',
    'Relu',
    'DlpipeReluGrad',
  ],
  transformer: [
    'BatchMatMul',
    'Softmax',
    'DlpipeSoftmaxGrad',
    'GatherV2',
    'UnsortedSegmentSum',
    'DlpipeAdamUpdate',
  ],
  // d2l's char LMs: the whole recurrence is one sequence kernel each way, on both implementations
  'gru-lm': [
    'DlpipeGruSequence',
    'DlpipeGruSequenceGrad',
    'BatchMatMul',
    'DlpipeSgdUpdate',
    'DlpipeSumSquares',
  ],
  'gru-lm-scratch': ['DlpipeGruSequence', 'DlpipeGruSequenceGrad', 'BatchMatMul', 'DlpipeSgdUpdate'],
  'lstm-lm': [
    'DlpipeLstmSequence',
    'DlpipeLstmSequenceGrad',
    'BatchMatMul',
    'DlpipeSgdUpdate',
    'DlpipeSumSquares',
  ],
  'lstm-lm-scratch': ['DlpipeLstmSequence', 'DlpipeLstmSequenceGrad', 'BatchMatMul', 'DlpipeSgdUpdate'],
};

/** `losses` on native, asserting that the model's native kernels ran and nothing fell back. */
async function nativeLosses(
  model: keyof typeof MODELS,
  batch: number,
  size?: number,
  lr?: number,
  steps = 5,
) {
  let out: number[] = [];
  await expectNative(NATIVE_KERNELS[model], async () => {
    out = await losses('native', model, batch, size, lr, steps);
  });
  return out;
}

describe('native engine on whole models', { skip: nativeSkip }, () => {
  // ResNet-18 with lr 0.003: on a batch of 8 random examples, larger rates (the benchmark's 0.05,
  // even 0.01) memorize within 3 steps with logits so sharp that float32 rounding differences of
  // 5e-7 in one batch-norm (measured) grow to several % by step 4 on any two backends; that says
  // nothing about the kernels.
  //
  // The plain-op ResNet-18 (PyTorch's init, conv biases before batch norm) is worse conditioned
  // still: its last blocks normalize 8 values per channel (1×1 maps, batch 8), where batch norm's
  // backward is a small difference of large terms, and cpu and native differ by 3e-3 in every
  // gradient after one step even at lr 1e-4 (measured; the same on native with the fusion off,
  // and single convolutions of those shapes agree to 5e-7). So it is compared over 2 steps, and
  // fused against unfused on native over 5 (below).
  const cases: Array<[keyof typeof MODELS, number, number?, number?, number?]> = [
    ['lenet', 8],
    ['resnet18', 8, 16, 0.003],
    ['lenet-ops', 8],
    ['resnet18-ops', 8, 16, 0.003, 2],
    ['transformer', 8],
    ['gru-lm', 4],
    ['gru-lm-scratch', 4],
    ['lstm-lm', 4],
    ['lstm-lm-scratch', 4],
  ];
  for (const [model, batch, size, lr, steps = 5] of cases) {
    it(`${model} (batch ${batch}${size ? `, ${size}×${size}` : ''}): same losses as cpu over ${steps} steps`, async () => {
      const cpu = await losses('cpu', model, batch, size, lr, steps);
      const native = await nativeLosses(model, batch, size, lr, steps);
      assert.ok(cpu.at(-1)! !== cpu[0]!, 'the loss moves');
      cpu.forEach((l, i) => {
        assert.ok(
          Math.abs(l - native[i]!) <= 1e-3 * Math.max(1, Math.abs(l)),
          `step ${i + 1}: cpu ${l}, native ${native[i]}`,
        );
      });
    });
  }

  // Over 3 steps: by step 4 this net has memorized its batch (loss 0.14) and the conditioning above
  // turns 1e-5 differences into 1%. The fusion's 20-step curve on a well-conditioned plain-op net
  // is checked in packages/engine/src/fusion/moments-batch-norm.test.ts.
  it('resnet18-ops: the moments → batchNorm fusion gives the unfused loss curve', async () => {
    const { tf } = await import('@dlpipe/tensor');
    const was = tf.setOpFusion(false);
    const plain = await losses('native', 'resnet18-ops', 8, 16, 0.003, 3);
    tf.setOpFusion(true);
    const fused = await nativeLosses('resnet18-ops', 8, 16, 0.003, 3);
    tf.setOpFusion(was);
    fused.forEach((l, i) => {
      assert.ok(
        Math.abs(l - plain[i]!) <= 1e-3 * Math.max(1, Math.abs(l)),
        `step ${i + 1}: fused ${l}, unfused ${plain[i]}`,
      );
    });
  });

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
