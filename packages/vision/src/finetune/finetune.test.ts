import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { batchNormalization, tensorDataSource, tf } from '@dlpipe/tensor';
import { PretrainedModelError } from '../errors.js';
import { finetune, ScaledSgd } from './finetune.js';
import { loadNsfwjsMobileNetV2, replaceHead, setTrainable } from './pretrained.js';

before(async () => {
  await tf.setBackend('cpu');
});

/** A tiny backbone with a pooled feature layer, standing in for MobileNetV2 in the training checks. */
function tinyBase(): tf.LayersModel {
  const input = tf.input({ shape: [8, 8, 3] });
  const c = tf.layers
    .conv2d({ filters: 4, kernelSize: 3, activation: 'relu' })
    .apply(input) as tf.SymbolicTensor;
  const p = tf.layers.globalAveragePooling2d({}).apply(c) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: 5 }).apply(p) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out });
}

describe('fine-tuning', () => {
  it("loads nsfwjs's MobileNetV2 from its JS weight modules and cuts its head", async () => {
    const base = await loadNsfwjsMobileNetV2();
    assert.deepEqual(
      [base.inputs[0]?.shape, base.outputs[0]?.shape],
      [
        [null, 224, 224, 3],
        [null, 5],
      ],
    );
    const net = replaceHead(base, { numClasses: 2 });
    assert.deepEqual(net.outputs[0]?.shape, [null, 2]);
    assert.equal(net.trainableWeights.length, 2); // only the new head
    assert.equal(net.getLayer('head').getWeights()[0]?.shape[0], 1280); // MobileNetV2's pooled features
    const dense = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [3] })] });
    assert.throws(
      () => replaceHead(dense, { numClasses: 2 }),
      (e: unknown) => e instanceof PretrainedModelError && /no feature layer/.test(e.message),
    );
  });

  it('keeps the frozen backbone unchanged, trains the head, then the backbone at 1/10 the rate', async () => {
    const net = replaceHead(tinyBase(), { numClasses: 2 });
    const x = tf.randomUniform([16, 8, 8, 3], 0, 1, 'float32', 1);
    const y = tf.tensor1d(
      Array.from({ length: 16 }, (_, i) => i % 2),
      'int32',
    );
    const backbone0 = net.layers[1]!.getWeights().map((w) => w.dataSync().slice());
    const head0 = net.getLayer('head').getWeights()[0]!.dataSync().slice();
    await finetune(net, tensorDataSource({ x, y }, { batchSize: 8 }), undefined, {
      headEpochs: 2,
      fullEpochs: 0,
      lr: 0.5,
      progress: false,
    });
    for (const [i, w] of net.layers[1]!.getWeights().entries()) assert.deepEqual(w.dataSync(), backbone0[i]);
    assert.notDeepEqual(net.getLayer('head').getWeights()[0]!.dataSync(), head0);
    await finetune(net, tensorDataSource({ x, y }, { batchSize: 8 }), undefined, {
      headEpochs: 0,
      fullEpochs: 1,
      lr: 0.5,
      progress: false,
    });
    assert.notDeepEqual(net.layers[1]!.getWeights()[0]!.dataSync(), backbone0[0]);
  });

  it('runs a frozen batch norm in inference mode (Keras): moving statistics stay until unfrozen', () => {
    const input = tf.input({ shape: [4] });
    const bn = batchNormalization({ momentum: 0.5 }); // @dlpipe/tensor's, as the zoo and loaded models use
    const out = tf.layers.dense({ units: 2, name: 'head' }).apply(bn.apply(input)) as tf.SymbolicTensor;
    const net = tf.model({ inputs: input, outputs: out });
    const x = tf.tensor2d([1, 2, 3, 4, 5, 6, 7, 8], [2, 4]);
    const moving = () =>
      bn
        .getWeights()
        .slice(2)
        .map((w) => Array.from(w.dataSync()));
    const y = (training: boolean) => Array.from((net.apply(x, { training }) as tf.Tensor).dataSync());
    setTrainable(net, false);
    assert.deepEqual(y(true), y(false)); // frozen: the same as inference
    assert.deepEqual(moving(), [
      [0, 0, 0, 0],
      [1, 1, 1, 1],
    ]);
    setTrainable(net, true);
    assert.notDeepEqual(y(true), y(false)); // trainable: batch statistics, and the moving ones move
    // moving mean = 0.5·0 + 0.5·batch mean [3, 4, 5, 6]
    assert.deepEqual(moving()[0], [1.5, 2, 2.5, 3]);
  });

  it('ScaledSgd steps the backbone by lr·scale and the head by lr', () => {
    const a = tf.variable(tf.scalar(1), true, 'a');
    const b = tf.variable(tf.scalar(1), true, 'b');
    new ScaledSgd(0.5, new Set(['b']), 0.1).applyGradients({ a: tf.scalar(2), b: tf.scalar(2) });
    assert.ok(Math.abs(a.dataSync()[0]! - (1 - 0.5 * 0.1 * 2)) < 1e-7);
    assert.ok(Math.abs(b.dataSync()[0]! - (1 - 0.5 * 2)) < 1e-7);
  });
});
