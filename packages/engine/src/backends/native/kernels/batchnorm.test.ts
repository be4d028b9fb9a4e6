/**
 * Native FusedBatchNorm and the fused batch-norm gradient (`DlpipeBatchNormGrad`) against tfjs's
 * cpu kernels and tfjs's own gradient (relative tolerance 1e-5 of the largest magnitude; 1e-4 for
 * gradients, which are sums over every pixel of a channel).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { useBackend } from '../../../backend.js';
import * as tf from '../../../tf.js';
import { assertSameOnBackends, expectFallback, expectNative, nativeSkip, seeded } from '../test-helpers.js';
import {
  BATCH_NORM_GRAD,
  batchNormGradJs,
  registerBatchNormGrad,
  tfjsBatchNormGrad,
} from './batchnorm-grad.js';

const skip = nativeSkip;

/** Positive variances in [0.5, 1.5). */
const variance = (shape: number[], seed: number) => seeded(shape, seed).mul(0.5).add(1);

describe('native FusedBatchNorm', { skip }, () => {
  const shapes: number[][] = [
    [2, 3, 4, 5],
    [6, 5],
    [1, 1, 1, 5],
    [3, 5],
    [4, 9, 9, 64],
  ];
  for (const s of shapes) {
    it(`x[${s}] with per-channel statistics, scale and offset`, async () => {
      const c = [s[s.length - 1]!];
      await expectNative('FusedBatchNorm', () =>
        assertSameOnBackends(() =>
          tf.batchNorm(
            seeded(s, 1, 'float32', 3),
            seeded(c, 2),
            variance(c, 3),
            seeded(c, 4),
            seeded(c, 5),
            1e-3,
          ),
        ),
      );
    });
  }
  it('without scale and offset, with single-value parameters, and per-element statistics', async () => {
    await expectNative('FusedBatchNorm', () =>
      assertSameOnBackends(() => tf.batchNorm(seeded([2, 3, 4], 1), seeded([4], 2), variance([4], 3))),
    );
    await expectNative('FusedBatchNorm', () =>
      assertSameOnBackends(() =>
        tf.batchNorm(
          seeded([2, 3, 4], 1),
          seeded([1], 2),
          variance([1], 3),
          seeded([1], 4),
          seeded([1], 5),
          1e-5,
        ),
      ),
    );
    // per-element statistics: the native kernel takes per-channel ones only
    await expectFallback('FusedBatchNorm', 'shape', () =>
      assertSameOnBackends(() =>
        tf.batchNorm(
          seeded([2, 3], 1),
          seeded([2, 3], 2),
          variance([2, 3], 3),
          seeded([2, 3], 4),
          seeded([2, 3], 5),
        ),
      ),
    );
  });
  it('zero-size input keeps its shape', async () => {
    await expectNative('FusedBatchNorm', () =>
      assertSameOnBackends(() => tf.batchNorm(tf.zeros([0, 4]), seeded([4], 2), variance([4], 3))),
    );
  });
});

/**
 * Gradients of Σ w·batchNorm(x, mean, variance, offset, scale) with respect to every input. (tfjs
 * 4.22 cannot differentiate a batch-norm without scale or offset at all — its engine trips on the
 * missing input, with or without this override — so the gradient function itself is tested below.)
 */
function bnGrads(s: number[]): tf.Tensor[] {
  const c = [s[s.length - 1]!];
  const w = seeded(s, 9);
  return tf.grads((x: tf.Tensor, m: tf.Tensor, v: tf.Tensor, o: tf.Tensor, g: tf.Tensor) =>
    tf.batchNorm(x, m, v, o, g, 1e-3).mul(w).sum(),
  )([seeded(s, 1, 'float32', 2), seeded(c, 2), variance(c, 3), seeded(c, 4), seeded(c, 5)]);
}

describe('fused batch-norm gradient', { skip }, () => {
  for (const s of [
    [2, 3, 4, 5],
    [3, 7],
    [8, 12, 12, 64],
  ]) {
    it(`x[${s}]: cpu vs native, every input`, async () => {
      await expectNative(['FusedBatchNorm', 'DlpipeBatchNormGrad'], () =>
        assertSameOnBackends(() => bnGrads(s), 1e-4),
      );
    });
  }

  for (const backend of ['cpu', 'native'] as const) {
    it(`equals tfjs’s own gradient function on ${backend} (with and without scale)`, async () => {
      await useBackend(backend);
      registerBatchNormGrad();
      const tfjs = tfjsBatchNormGrad();
      const ours = tf.getGradient(tf.FusedBatchNorm);
      assert.ok(tfjs && ours && tfjs !== ours);
      for (const withScale of [true, false]) {
        tf.tidy(() => {
          const s = [2, 3, 4, 5];
          const saved = [
            seeded(s, 1),
            seeded([5], 2),
            variance([5], 3),
            withScale ? seeded([5], 4) : undefined,
          ];
          const dy = seeded(s, 5);
          const attrs = { varianceEpsilon: 1e-3 };
          const a = tfjs.gradFunc(dy, saved as tf.Tensor[], attrs);
          const b = ours.gradFunc(dy, saved as tf.Tensor[], attrs);
          for (const k of ['x', 'mean', 'variance', 'scale', 'offset']) {
            const ta = a[k]!() as tf.Tensor;
            const tb = b[k]!() as tf.Tensor;
            assert.deepEqual(tb.shape, ta.shape, k);
            const va = ta.dataSync();
            const vb = tb.dataSync();
            const scale = Math.max(1, ...Array.from(va, Math.abs));
            for (const [i, v] of va.entries()) {
              assert.ok(Math.abs(v - vb[i]!) <= 1e-5 * scale, `${k}[${i}]: ${v} vs ${vb[i]}`);
            }
          }
        });
      }
    });
  }

  it('the JS kernel matches hand-computed values', () => {
    // x = [1, 3] in one channel, mean 2, variance 1, eps 0, scale 2, dy = [1, 1]:
    // dx = dy·scale/σ = [2, 2]; Σdy = 2; Σdy(x−mean) = 0 → dmean = −4, dvar = 0, dscale = 0.
    const g = batchNormGradJs([1, 1], [1, 3], [2], [1], [2], 0);
    assert.deepEqual(Array.from(g.dx), [2, 2]);
    assert.deepEqual(
      [g.dMean[0], g.dVariance[0], g.dScale[0], g.dOffset[0]].map((v) => v! + 0),
      [-4, 0, 0, 2],
    );
    // dy = [1, 0]: Σdy(x−mean) = −1 → dscale = −1, dvar = −0.5·2·(−1) = 1.
    const h = batchNormGradJs([1, 0], [1, 3], [2], [1], [2], 0);
    assert.deepEqual([h.dMean[0], h.dVariance[0], h.dScale[0], h.dOffset[0]], [-2, 1, -1, 1]);
  });

  it('the gradient of moments + batchNorm (as tf.layers.batchNormalization trains) agrees', async () => {
    // tfjs-layers calls tfjs-core's own moments and batchNorm, not dlpipe's fusing ones: turn the
    // fusion off to run that path here (the fusion has its own tests in src/fusion/)
    const was = tf.setOpFusion(false);
    try {
      await expectNative(['FusedBatchNorm', 'DlpipeBatchNormGrad'], () =>
        assertSameOnBackends(
          () =>
            tf.grads((x: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
              const { mean, variance: v } = tf.moments(x, [0, 1, 2]);
              return tf.batchNorm(x, mean, v, b, g, 1e-5).square().sum();
            })([seeded([4, 6, 6, 8], 1, 'float32', 2), seeded([8], 2), seeded([8], 3)]),
          1e-4,
        ),
      );
    } finally {
      tf.setOpFusion(was);
    }
  });

  it('the wasm backend has the kernel too, with cpu results', async () => {
    registerBatchNormGrad();
    assert.ok(tf.getKernel(BATCH_NORM_GRAD, 'wasm'));
    await useBackend('wasm');
    assert.equal(tf.getBackend(), 'wasm');
    const wasm = tf.tidy(() => bnGrads([2, 3, 4, 5]).map((t) => Array.from(t.dataSync())));
    await useBackend('cpu');
    const cpu = tf.tidy(() => bnGrads([2, 3, 4, 5]).map((t) => Array.from(t.dataSync())));
    for (const [i, a] of cpu.entries()) {
      for (const [j, v] of a.entries())
        assert.ok(Math.abs(v - wasm[i]![j]!) <= 1e-4 * Math.max(1, Math.abs(v)), `[${i}][${j}]`);
    }
  });

  it('no tensors leak across repeated batch-norm steps', async () => {
    await useBackend('native');
    const step = () => tf.dispose(tf.tidy(() => bnGrads([2, 4, 4, 3])));
    step();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 10; i++) step();
    assert.equal(tf.memory().numTensors, before);
  });
});
