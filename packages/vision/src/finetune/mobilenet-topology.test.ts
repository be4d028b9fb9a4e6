import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { initBackend, tf } from '@dlpipe/tensor';
import { PretrainedModelError } from '../errors.js';
import { rewriteMobileNetTopology } from './mobilenet-topology.js';
import { loadNsfwjsMobileNetV2, nsfwjsWeights, readNsfwjsMobileNetV2Files } from './pretrained.js';

let raw: tf.LayersModel;
before(async () => {
  await initBackend(); // MobileNetV2 at 224×224: seconds on native/wasm, much longer on cpu
  // the model exactly as nsfwjs ships it: no rewriting at all
  const { json, shard } = readNsfwjsMobileNetV2Files();
  raw = await tf.loadLayersModel(
    tf.io.fromMemory({ modelTopology: json.modelTopology as object, ...nsfwjsWeights(json, shard) }),
  );
});
after(() => raw.dispose());

type KerasLayers = Array<{ class_name: string; config: Record<string, unknown> }>;
const keras = (t: unknown) =>
  (t as { model_config: { config: { layers: KerasLayers } } }).model_config.config.layers;
const values = (net: tf.LayersModel) => net.getWeights().map((w) => w.dataSync());

describe("MobileNetV2 input size (nsfwjs's weights at other resolutions)", () => {
  it('at 224 gives the unmodified model bit for bit: same weights, same outputs', async () => {
    const net = await loadNsfwjsMobileNetV2({ inputSize: 224 });
    const x = tf.randomUniform([2, 224, 224, 3], 0, 1, 'float32', 7);
    const [a, b] = [raw.predict(x) as tf.Tensor, net.predict(x) as tf.Tensor];
    assert.deepEqual(a.shape, [2, 5]);
    assert.deepEqual(b.dataSync(), a.dataSync());
    assert.deepEqual(values(net), values(raw));
    tf.dispose([x, a, b]);
    net.dispose();
  });

  it('at 96 and 32 keeps every weight and outputs 5 class probabilities', async () => {
    const want = values(raw);
    for (const size of [96, 32]) {
      const net = await loadNsfwjsMobileNetV2({ inputSize: size });
      assert.deepEqual(net.inputs[0]?.shape, [null, size, size, 3]);
      assert.deepEqual(
        net.getWeights().map((w) => w.shape),
        raw.getWeights().map((w) => w.shape),
      );
      assert.deepEqual(values(net), want);
      const p = net.predict(tf.zeros([3, size, size, 3])) as tf.Tensor;
      assert.deepEqual(p.shape, [3, 5]);
      for (const s of tf.sum(p, 1).dataSync()) assert.ok(Math.abs(s - 1) < 1e-5); // softmax rows
      p.dispose();
      net.dispose();
    }
  });

  it('builds the same architecture from scratch with fresh weights', async () => {
    const net = await loadNsfwjsMobileNetV2({ inputSize: 64, pretrained: false });
    assert.deepEqual(
      net.getWeights().map((w) => w.shape),
      raw.getWeights().map((w) => w.shape),
    );
    const conv1 = net.getLayer('Conv1').getWeights()[0]!.dataSync();
    assert.notDeepEqual(conv1, raw.getLayer('Conv1').getWeights()[0]!.dataSync());
    // Keras glorot_uniform: |w| ≤ √(6 / (fanIn + fanOut)) = √(6 / (27 + 288)) for a 3×3×3→32 kernel
    const bound = Math.sqrt(6 / (27 + 288));
    assert.ok(conv1.every((v) => Math.abs(v) <= bound));
    net.dispose();
  });

  it('rewrites the input, the final pooling window and batch-norm momentum; rejects other sizes', () => {
    const { json } = readNsfwjsMobileNetV2Files();
    const t = rewriteMobileNetTopology(json.modelTopology, { inputSize: 128, batchNormMomentum: 0.9 });
    const layers = keras(t);
    assert.deepEqual(layers[0]?.config.batch_input_shape, [null, 128, 128, 3]);
    const pool = layers.find((l) => l.class_name === 'AveragePooling2D');
    assert.deepEqual(
      [pool?.config.pool_size, pool?.config.strides],
      [
        [4, 4],
        [4, 4],
      ],
    );
    const bn = layers.filter((l) => l.class_name === 'BatchNormalization');
    assert.equal(bn.length, 52);
    assert.ok(bn.every((l) => l.config.momentum === 0.9));
    // the shipped topology is untouched
    const shipped = keras(json.modelTopology);
    assert.deepEqual(shipped[0]?.config.batch_input_shape, [null, 224, 224, 3]);
    for (const bad of [100, 16, 0, 96.5]) {
      assert.throws(
        () => rewriteMobileNetTopology(json.modelTopology, { inputSize: bad }),
        (e: unknown) => e instanceof PretrainedModelError && e.message.includes(`inputSize ${bad} `),
      );
    }
  });
});
