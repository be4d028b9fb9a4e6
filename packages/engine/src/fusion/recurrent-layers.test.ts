/**
 * tfjs-layers' GRU and LSTM through the sequence kernels against tfjs's own (the cpu backend runs them):
 * outputs, final states and the gradients of the input and of every weight, for sequences and
 * last outputs, given initial states, backwards, bidirectional; the kernel ran (and tfjs's cell
 * ops did not); hard-sigmoid gates, masks and training dropout keep tfjs's path.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { useBackend } from '../backend.js';
import { diffDispatchCounts, dispatchCounts } from '../backends/native/dispatch-counts.js';
import {
  GRU_SEQUENCE,
  GRU_SEQUENCE_GRAD,
  LSTM_SEQUENCE,
  LSTM_SEQUENCE_GRAD,
} from '../backends/native/kernels/fused-names.js';
import { assertSameOnBackends, expectNative, nativeSkip, seeded } from '../backends/native/test-helpers.js';
import * as tf from '../tf.js';

const skip = nativeSkip;

interface Case {
  what: string;
  kind?: 'gru' | 'lstm';
  returnSequences?: boolean;
  returnState?: boolean;
  goBackwards?: boolean;
  bidirectional?: boolean;
  initialState?: boolean;
  /** [batch, steps, input size, units]; small by default. */
  dims?: [number, number, number, number];
}

const cases: Case[] = [
  { what: 'sequence and state', returnSequences: true, returnState: true },
  { what: 'last output only' },
  { what: 'given an initial state', returnSequences: true, returnState: true, initialState: true },
  { what: 'backwards', returnSequences: true, goBackwards: true },
  { what: 'bidirectional', returnSequences: true, bidirectional: true },
  { what: 'LSTM sequence and states', kind: 'lstm', returnSequences: true, returnState: true },
  { what: 'LSTM given initial states', kind: 'lstm', returnState: true, initialState: true },
  { what: 'LSTM bidirectional', kind: 'lstm', returnSequences: true, bidirectional: true },
];

/** A GRU with seeded weights applied to x; outputs and the gradients of x and every weight. */
function run(k: Case): tf.Tensor[] {
  const [B, T, D, H] = k.dims ?? [3, 5, 4, 6];
  const args = {
    units: H,
    recurrentActivation: 'sigmoid' as const,
    returnSequences: k.returnSequences ?? false,
    returnState: k.returnState ?? false,
    goBackwards: k.goBackwards ?? false,
  };
  const cell = k.kind === 'lstm' ? tf.layers.lstm(args) : tf.layers.gru(args);
  const layer = k.bidirectional ? tf.layers.bidirectional({ layer: cell, mergeMode: 'concat' }) : cell;
  const x = seeded([B, T, D], 1, 'float32', 2);
  const states = k.kind === 'lstm' ? [seeded([B, H], 5), seeded([B, H], 6)] : [seeded([B, H], 5)];
  const kwargs = k.initialState ? { initialState: states } : {};
  layer.apply(x, kwargs); // builds the weights
  layer.setWeights(layer.getWeights().map((w, i) => seeded(w.shape, 10 + i, 'float32', 0.6)));
  const weights = layer.trainableWeights.map((w) => w.read() as tf.Variable);
  const outs = () => [layer.apply(x, kwargs) as tf.Tensor | tf.Tensor[]].flat();
  const loss = () => tf.addN(outs().map((o, i) => tf.sum(tf.mul(o, seeded(o.shape, 20 + i))))) as tf.Scalar;
  const dx = tf.grad((v: tf.Tensor) => {
    const o = [layer.apply(v, kwargs) as tf.Tensor | tf.Tensor[]].flat();
    return tf.addN(o.map((t, i) => tf.sum(tf.mul(t, seeded(t.shape, 20 + i))))) as tf.Scalar;
  })(x);
  const { grads } = tf.variableGrads(loss, weights);
  const result = [...outs(), dx, ...weights.map((w) => grads[w.name]!)];
  layer.dispose();
  return result;
}

describe('tf.layers.gru and lstm through the sequence kernels', { skip }, () => {
  for (const k of cases) {
    it(`equals tfjs's layer: ${k.what}`, async () => {
      const kernels =
        k.kind === 'lstm' ? [LSTM_SEQUENCE, LSTM_SEQUENCE_GRAD] : [GRU_SEQUENCE, GRU_SEQUENCE_GRAD];
      const counts = await expectNative(kernels, () => assertSameOnBackends(() => run(k), 1e-4, k.what));
      assert.equal(counts.Sigmoid, undefined, "tfjs's cell ran");
    });
  }

  it('writes every element of outputs taken from the pool with stale contents (GRU and LSTM)', async () => {
    const [B, T, D, H] = [4, 12, 5, 32];
    for (const kind of ['gru', 'lstm'] as const) {
      const g = kind === 'gru' ? 3 : 4;
      // free arrays of every pooled output length (hs, cs, gates, dxp, dwh), full of 7.5s
      const poison = () => {
        for (const n of [T * B * H, T * B * g * H, H * g * H]) {
          for (let i = 0; i < 3; i++) tf.tidy(() => tf.neg(tf.fill([n], -7.5))).dispose();
        }
      };
      const k: Case = { what: kind, kind, returnSequences: true, returnState: true, dims: [B, T, D, H] };
      const kernels =
        kind === 'lstm' ? [LSTM_SEQUENCE, LSTM_SEQUENCE_GRAD] : [GRU_SEQUENCE, GRU_SEQUENCE_GRAD];
      await expectNative(kernels, () =>
        assertSameOnBackends(
          () => {
            poison();
            return run(k);
          },
          1e-4,
          `${kind} over stale pooled arrays`,
        ),
      );
    }
  });

  it("keeps tfjs's path for hard-sigmoid gates, masks and training dropout", async () => {
    await useBackend('native');
    const x = seeded([2, 4, 3], 1);
    const apply = (layer: tf.layers.Layer, kwargs: Record<string, unknown> = {}) => {
      const before = dispatchCounts();
      tf.dispose(layer.apply(x, kwargs) as tf.Tensor);
      layer.dispose();
      return diffDispatchCounts(dispatchCounts(), before)[GRU_SEQUENCE]?.native ?? 0;
    };
    assert.equal(apply(tf.layers.gru({ units: 5 })), 0, 'hardSigmoid (tfjs default)');
    const mask = tf.tensor2d([
      [1, 1, 1, 0],
      [1, 1, 0, 0],
    ]);
    assert.equal(apply(tf.layers.gru({ units: 5, recurrentActivation: 'sigmoid' }), { mask }), 0, 'mask');
    assert.equal(
      apply(tf.layers.gru({ units: 5, recurrentActivation: 'sigmoid', dropout: 0.5 }), { training: true }),
      0,
      'dropout while training',
    );
    assert.equal(
      apply(tf.layers.gru({ units: 5, recurrentActivation: 'sigmoid', dropout: 0.5 })),
      1,
      'inference',
    );
    const was = tf.setOpFusion(false);
    assert.equal(apply(tf.layers.gru({ units: 5, recurrentActivation: 'sigmoid' })), 0, 'fusion off');
    tf.setOpFusion(was);
    tf.dispose([x, mask]);
  });
});
