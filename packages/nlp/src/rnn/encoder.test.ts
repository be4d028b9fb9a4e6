import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { setSeed } from '@dlpipe/core';
import {
  diffDispatchCounts,
  dispatchCounts,
  GRU_SEQUENCE,
  GRU_SEQUENCE_GRAD,
  initBackend,
  tf,
} from '@dlpipe/tensor';
import { ModelUseError } from '../errors.js';
import { CELL_KINDS } from './cells.js';
import { LayersEncoder } from './layers-encoder.js';
import { ScratchEncoder } from './scratch-encoder.js';

before(async () => {
  await initBackend();
});

const maxDiff = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);

describe('scratch and tfjs-layers encoders agree given the same weights', () => {
  for (const kind of CELL_KINDS) {
    for (const bidirectional of [false, true]) {
      it(`${kind}, 2 layers, ${bidirectional ? 'bidirectional' : 'unidirectional'}`, () => {
        setSeed(7);
        const options = { kind, inputDim: 3, numHiddens: 4, numLayers: 2, bidirectional };
        const scratch = new ScratchEncoder(options, 0.5); // large weights: every gate matters
        const layers = new LayersEncoder(options);
        layers.setWeightsFrom(scratch);
        const X = tf.randomNormal([2, 5, 3]) as tf.Tensor3D;
        const a = scratch.forward(X);
        const b = layers.forward(X);
        assert.deepEqual(b.outputs.shape, [2, 5, bidirectional ? 8 : 4]);
        assert.ok(maxDiff(a.outputs, b.outputs) < 1e-5, `outputs differ by ${maxDiff(a.outputs, b.outputs)}`);
        assert.equal(a.state.length, 2 * (bidirectional ? 2 : 1));
        a.state.forEach((s, i) => {
          s.forEach((t, j) => {
            assert.ok(maxDiff(t, b.state[i]![j]!) < 1e-5, `state ${i}.${j}`);
          });
        });
        // With a given initial state, too (the state carried during generation).
        const a2 = scratch.forward(X, a.state);
        const b2 = layers.forward(X, b.state);
        assert.ok(maxDiff(a2.outputs, b2.outputs) < 1e-5);
        assert.ok(maxDiff(a.outputs, a2.outputs) > 1e-4, 'the initial state changes the outputs');
        scratch.dispose();
        layers.dispose();
      });
    }
  }

  for (const kind of ['gru', 'lstm'] as const) {
    it(`${kind}: gradients through time agree too (d loss / d X, 2 layers, bidirectional)`, () => {
      setSeed(11);
      const options = { kind, inputDim: 3, numHiddens: 4, numLayers: 2, bidirectional: true };
      const scratch = new ScratchEncoder(options, 0.5);
      const layers = new LayersEncoder(options);
      layers.setWeightsFrom(scratch);
      const X = tf.randomNormal([2, 6, 3]) as tf.Tensor3D;
      const weights = tf.randomNormal([2, 6, 8]);
      const dX = (enc: ScratchEncoder | LayersEncoder) =>
        tf.grad((x: tf.Tensor) => tf.sum(tf.mul(enc.forward(x as tf.Tensor3D).outputs, weights)))(X);
      const a = dX(scratch);
      const b = dX(layers);
      assert.ok(tf.max(tf.abs(a)).dataSync()[0]! > 1e-3, 'a non-trivial gradient');
      assert.ok(maxDiff(a, b) < 1e-5, `dX differs by ${maxDiff(a, b)}`);
      scratch.dispose();
      layers.dispose();
    });
  }

  it('a GRU layer runs as one sequence kernel forward and one backward on the native backend', async (t) => {
    if (tf.getBackend() !== 'native') return t.skip('native backend not loaded');
    setSeed(5);
    const enc = new ScratchEncoder({
      kind: 'gru',
      inputDim: 3,
      numHiddens: 4,
      numLayers: 2,
      bidirectional: true,
    });
    const X = tf.randomNormal([2, 6, 3]) as tf.Tensor3D;
    const before = dispatchCounts();
    tf.dispose(tf.grads((x: tf.Tensor) => tf.sum(enc.forward(x as tf.Tensor3D).outputs))([X]));
    const counts = diffDispatchCounts(dispatchCounts(), before);
    // 2 layers × 2 directions, native code each time, no per-step cell kernels
    assert.deepEqual(
      [counts[GRU_SEQUENCE]?.native, counts[GRU_SEQUENCE_GRAD]?.native, counts[GRU_SEQUENCE_GRAD]?.fallback],
      [4, 4, 0],
    );
    assert.equal(counts.Sigmoid, undefined);
    enc.dispose();
  });

  it('the last forward output equals the final state; the backward direction ends at t = 0', () => {
    setSeed(3);
    const enc = new ScratchEncoder({ kind: 'gru', inputDim: 2, numHiddens: 3, bidirectional: true }, 0.5);
    const X = tf.randomNormal([1, 4, 2]) as tf.Tensor3D;
    const { outputs, state } = enc.forward(X);
    const fwdLast = tf.slice(outputs, [0, 3, 0], [1, 1, 3]).reshape([1, 3]);
    const bwdFirst = tf.slice(outputs, [0, 0, 3], [1, 1, 3]).reshape([1, 3]);
    assert.ok(maxDiff(fwdLast, state[0]![0]!) < 1e-7);
    assert.ok(maxDiff(bwdFirst, state[1]![0]!) < 1e-7);
  });

  it('copying weights between differently shaped encoders is refused', () => {
    const s = new ScratchEncoder({ kind: 'lstm', inputDim: 3, numHiddens: 4 });
    const l = new LayersEncoder({ kind: 'lstm', inputDim: 3, numHiddens: 5 });
    assert.throws(
      () => l.setWeightsFrom(s),
      (e: unknown) => e instanceof ModelUseError && /same options/.test(e.message),
    );
  });
});
