/**
 * Nadaraya–Watson attention pooling against d2l 0.17 §10.2's PyTorch code (1.13), run by
 * attention.reference.py on data it drew with numpy (seed 0), fed here as numbers: the
 * non-parametric estimates, and the parametric model trained as d2l (w0 = 0.5, leave-one-out keys,
 * SGD lr 0.5, 5 epochs, summed squared error): the loss and w after every epoch and the estimates.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { initBackend, tf } from '@dlpipe/tensor';
import { AttentionError } from './attention-error.js';
import {
  gaussianAttention,
  leaveOneOut,
  NWKernelRegression,
  nwNonParametric,
  nwTarget,
  nwToyData,
  trainNWKernelRegression,
} from './nadaraya-watson.js';
import { assertClose, attentionReference } from './reference-fixture.js';

before(async () => {
  await initBackend();
});

const ref = attentionReference().nadarayaWatson;
const xTest = Array.from({ length: 50 }, (_, i) => i / 10);

describe('Nadaraya–Watson attention pooling (d2l §11.2)', () => {
  it('the non-parametric estimates equal PyTorch; weight rows sum to 1', () => {
    const { yHat, attentionWeights } = nwNonParametric(xTest, ref.xTrain, ref.yTrain);
    assertClose(yHat, ref.nonParametricYHat, 2e-5);
    assert.deepEqual(attentionWeights.shape, [50, 50]);
    assertClose(tf.sum(attentionWeights, 1), new Array(50).fill(1), 1e-5);
  });

  it('trained as d2l, the losses, w and the estimates equal PyTorch epoch by epoch', () => {
    const ws: number[] = [];
    const net = new NWKernelRegression({ w0: ref.w0 });
    const losses: number[] = [];
    for (let epoch = 0; epoch < 5; epoch++) {
      losses.push(...trainNWKernelRegression(net, ref.xTrain, ref.yTrain, { numEpochs: 1 }).losses);
      ws.push(net.w.dataSync()[0]!);
    }
    assertClose(losses, ref.losses, 1e-4, 1e-5);
    assertClose(ws, ref.ws, 1e-4, 1e-5);
    const n = ref.xTrain.length;
    const keys = tf.tile(tf.tensor2d([ref.xTrain]), [50, 1]);
    const values = tf.tile(tf.tensor2d([ref.yTrain]), [50, 1]);
    assertClose(net.forward(tf.tensor1d(xTest), keys, values), ref.parametricYHat, 1e-4);
    assert.deepEqual(net.attentionWeights!.shape, [50, n]);
    // 5 epochs at once give the same run
    const again = new NWKernelRegression({ w0: ref.w0 });
    assertClose(trainNWKernelRegression(again, ref.xTrain, ref.yTrain).losses, ref.losses, 1e-4, 1e-5);
  });

  it('training keeps no tensors: only the net and its last weights remain', () => {
    const net = new NWKernelRegression({ w0: 1 });
    trainNWKernelRegression(net, ref.xTrain, ref.yTrain, { numEpochs: 1 });
    const n = tf.memory().numTensors;
    trainNWKernelRegression(net, ref.xTrain, ref.yTrain, { numEpochs: 3 });
    assert.equal(tf.memory().numTensors, n);
    net.dispose();
    assert.equal(tf.memory().numTensors, n - 2);
  });

  it('the toy data follow d2l: 50 sorted x in [0, 5), y = 2 sin x + x^0.8 + noise of std ≈ 0.5', () => {
    const d = nwToyData({ seed: 1 });
    assert.equal(d.xTrain.length, 50);
    assert.ok(d.xTrain.every((x, i) => x >= 0 && x < 5 && (i === 0 || x >= d.xTrain[i - 1]!)));
    const noise = d.yTrain.map((y, i) => y - nwTarget(d.xTrain[i]!));
    const std = Math.sqrt(noise.reduce((a, b) => a + b * b, 0) / noise.length);
    assert.ok(std > 0.3 && std < 0.7, `noise std ${std}`);
    assert.deepEqual(nwToyData({ seed: 1 }), d);
    assert.equal(d.xTest[49], 4.9);
    assertClose(d.yTruth.slice(0, 2), [0, 2 * Math.sin(0.1) + 0.1 ** 0.8], 1e-12);
  });

  it('leave-one-out rows hold every other pair; bad shapes are refused', () => {
    const { keys, values } = leaveOneOut([1, 2, 3], [10, 20, 30]);
    assert.deepEqual(keys.arraySync(), [
      [2, 3],
      [1, 3],
      [1, 2],
    ]);
    assert.deepEqual(values.arraySync(), [
      [20, 30],
      [10, 30],
      [10, 20],
    ]);
    assert.throws(() => gaussianAttention(tf.tensor1d([1, 2]), tf.zeros([3, 4])), AttentionError);
    assert.throws(() => nwNonParametric([1], [1, 2], [1]), /2 training inputs but 1 targets/);
    assert.throws(
      () => new NWKernelRegression().forward(tf.tensor1d([1]), tf.zeros([1, 3]), tf.zeros([1, 2])),
      /keys \[1,3\] and values \[1,2\]/,
    );
    assert.throws(() => trainNWKernelRegression(new NWKernelRegression(), [1, 2], [1]), AttentionError);
    assert.throws(() => trainNWKernelRegression(new NWKernelRegression(), [1, 2], [1, 2], { lr: -1 }), /lr/);
  });
});
