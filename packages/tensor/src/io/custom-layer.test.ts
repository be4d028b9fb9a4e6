import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { tf } from '@dlpipe/engine';
import { ModelLoadError } from '../errors.js';
import { loadModel, saveModel } from './model-io.js';

const tmp = mkdtempSync(join(tmpdir(), 'dlpipe-custom-'));
before(async () => {
  await tf.setBackend('cpu');
});
after(() => rmSync(tmp, { recursive: true, force: true }));

/** y = x·scale with a trainable per-feature scale: the build/call/getConfig lifecycle. */
class ScaleLayer extends tf.layers.Layer {
  static className = 'DlpipeTestScale';
  private scale?: tf.LayerVariable;
  constructor(readonly config: { init: number } & ConstructorParameters<typeof tf.layers.Layer>[0]) {
    super(config);
  }
  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const d = (inputShape as tf.Shape)[1] as number;
    this.scale = this.addWeight(
      'scale',
      [d],
      'float32',
      tf.initializers.constant({ value: this.config.init }),
    );
    this.built = true;
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => tf.mul(Array.isArray(inputs) ? inputs[0]! : inputs, this.scale!.read()));
  }
  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), init: this.config.init };
  }
}

it('a registered custom layer survives save → load with its config and weights', async () => {
  tf.serialization.registerClass(ScaleLayer);
  const m = tf.sequential({
    layers: [tf.layers.dense({ units: 3, inputShape: [2] }), new ScaleLayer({ init: 2.5 })],
  });
  const dir = join(tmp, 'custom');
  await saveModel(m, dir);
  const loaded = await loadModel(dir);
  assert.equal(loaded.layers[1]!.getClassName(), 'DlpipeTestScale');
  const x = tf.tensor2d([[1, -1]]);
  assert.deepEqual(
    Array.from((loaded.predict(x) as tf.Tensor).dataSync()),
    Array.from((m.predict(x) as tf.Tensor).dataSync()),
  );
});

it('an unregistered custom layer is a ModelLoadError that says to register it', async () => {
  const dir = join(tmp, 'custom');
  const { readFileSync, writeFileSync } = await import('node:fs');
  const json = readFileSync(join(dir, 'model.json'), 'utf8').replaceAll(
    'DlpipeTestScale',
    'NotRegisteredLayer',
  );
  writeFileSync(join(dir, 'model.json'), json);
  await assert.rejects(loadModel(dir), (e: Error) => {
    assert.ok(e instanceof ModelLoadError);
    assert.match(e.message, /cannot build the model: .*NotRegisteredLayer.*register/s);
    return true;
  });
});
