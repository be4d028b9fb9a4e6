import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { setSeed } from '@dlpipe/core';
import { tf } from '@dlpipe/engine';
import { ModelLoadError, ShapeMismatchError } from '../errors.js';
import { registerFileRouter } from './file-io.js';
import { loadModel, loadWeights, loadWeightsInto, saveModel, saveWeights } from './model-io.js';

const tmp = mkdtempSync(join(tmpdir(), 'dlpipe-io-'));
before(async () => {
  await tf.setBackend('cpu');
  setSeed(11);
});
after(() => rmSync(tmp, { recursive: true, force: true }));

function mlp(hidden = 8): tf.LayersModel {
  return tf.sequential({
    layers: [
      tf.layers.dense({ units: hidden, inputShape: [4], activation: 'relu' }),
      tf.layers.batchNormalization(),
      tf.layers.dense({ units: 3 }),
    ],
  });
}

describe('save → load', () => {
  it('gives identical predictions, in the standard model.json + shard layout', async () => {
    const m = mlp();
    const x = tf.randomNormal([5, 4]);
    const dir = join(tmp, 'mlp');
    await saveModel(m, dir);
    assert.deepEqual(readdirSync(dir).sort(), ['group1-shard1of1.bin', 'model.json']);
    const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    assert.equal(json.format, 'layers-model');
    assert.deepEqual(json.weightsManifest[0].paths, ['group1-shard1of1.bin']);
    const loaded = await loadModel(dir);
    const a = (m.predict(x) as tf.Tensor).dataSync();
    const b = (loaded.predict(x) as tf.Tensor).dataSync();
    assert.deepEqual(Array.from(b), Array.from(a));
  });

  it('accepts file:// URLs through the router, as stock tfjs code writes them', async () => {
    registerFileRouter();
    const m = mlp();
    const url = pathToFileURL(join(tmp, 'routed')).href;
    await m.save(url);
    const loaded = await tf.loadLayersModel(`${url}/model.json`);
    assert.equal(loaded.countParams(), m.countParams());
  });

  it("is readable by stock tfjs's own HTTP loader (same format as tfjs-node / the converter)", async () => {
    const m = mlp();
    const dir = join(tmp, 'served');
    await saveModel(m, dir);
    const server = createServer((req, res) => {
      try {
        res.end(readFileSync(join(dir, (req.url ?? '/').slice(1))));
      } catch {
        res.statusCode = 404;
        res.end();
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    try {
      const loaded = await tf.loadLayersModel(`http://127.0.0.1:${port}/model.json`);
      const x = tf.ones([2, 4]);
      assert.deepEqual(
        Array.from((loaded.predict(x) as tf.Tensor).dataSync()),
        Array.from((m.predict(x) as tf.Tensor).dataSync()),
      );
    } finally {
      server.close();
    }
  });

  it('reads a model in the layout tfjs-node writes (one weights.bin, "./" paths)', async () => {
    const m = mlp();
    const dir = join(tmp, 'tfjs-node-layout');
    await m.save(
      tf.io.withSaveHandler(async (artifacts) => {
        const { mkdirSync } = await import('node:fs');
        mkdirSync(dir, { recursive: true });
        writeFileSync(join(dir, 'weights.bin'), Buffer.from(artifacts.weightData as ArrayBuffer));
        writeFileSync(
          join(dir, 'model.json'),
          JSON.stringify({
            modelTopology: artifacts.modelTopology,
            format: 'layers-model',
            generatedBy: 'TensorFlow.js tfjs-layers v4.22.0',
            convertedBy: null,
            weightsManifest: [{ paths: ['./weights.bin'], weights: artifacts.weightSpecs }],
          }),
        );
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    const loaded = await loadModel(join(dir, 'model.json'));
    assert.equal(loaded.countParams(), m.countParams());
  });
});

describe('bad saved models', () => {
  it('missing model.json', async () => {
    await assert.rejects(loadModel(join(tmp, 'nothing-here')), (e: Error) => {
      assert.ok(e instanceof ModelLoadError);
      assert.match(e.message, /no model\.json here.*nothing-here/);
      return true;
    });
  });
  it('corrupt model.json', async () => {
    const dir = join(tmp, 'corrupt');
    await saveModel(mlp(), dir);
    writeFileSync(join(dir, 'model.json'), '{"modelTopology": ');
    await assert.rejects(loadModel(dir), /model\.json is not valid JSON/);
  });
  it('truncated and missing weight files', async () => {
    const dir = join(tmp, 'truncated');
    await saveModel(mlp(), dir);
    truncateSync(join(dir, 'group1-shard1of1.bin'), 10);
    await assert.rejects(
      loadModel(dir),
      /weight files hold 10 bytes but model\.json's manifest describes \d+/,
    );
    rmSync(join(dir, 'group1-shard1of1.bin'));
    await assert.rejects(loadModel(dir), /weight file listed in model\.json is missing/);
  });
  it('weights of another architecture → ShapeMismatchError naming the weight', async () => {
    const dir = join(tmp, 'wide');
    await saveModel(mlp(16), dir);
    const narrow = mlp(8);
    const before = narrow.getWeights().map((w) => Array.from(w.dataSync()));
    await assert.rejects(loadWeightsInto(narrow, dir), (e: Error) => {
      assert.ok(e instanceof ShapeMismatchError);
      assert.match(e.message, /has shape \[4,8\] in the model but .* has \[4,16\] in the file/);
      return true;
    });
    const afterW = narrow.getWeights().map((w) => Array.from(w.dataSync()));
    assert.deepEqual(afterW, before, 'a refused load must change nothing');
  });
});

describe('named weights (custom models)', () => {
  it('round-trip names, values, dtypes and metadata', async () => {
    const dir = join(tmp, 'named');
    const W = tf.randomNormal([3, 2]);
    const ids = tf.tensor1d([1, 2, 3], 'int32');
    await saveWeights(dir, { W, ids }, { epoch: 3 });
    const { weights, metadata } = await loadWeights(dir);
    assert.deepEqual(
      weights.map((w) => [w.name, w.tensor.dtype, w.tensor.shape]),
      [
        ['W', 'float32', [3, 2]],
        ['ids', 'int32', [3]],
      ],
    );
    assert.deepEqual(Array.from(weights[0]!.tensor.dataSync()), Array.from(W.dataSync()));
    assert.deepEqual(metadata, { epoch: 3 });
  });
});
