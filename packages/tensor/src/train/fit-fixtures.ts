/** Small data and a model for the fit tests (fit.test.ts, fit-resume.test.ts). */
import { setSeed } from '@dlpipe/core';
import { tf } from '@dlpipe/engine';

/** A tiny classification set: 3 Gaussian blobs in 4-D. */
export function blobs(n = 96, seed = 1) {
  setSeed(seed);
  const y = tf.tensor1d(
    Array.from({ length: n }, (_, i) => i % 3),
    'int32',
  );
  const centers = tf.tensor2d([
    [2, 0, 0, 0],
    [0, 2, 0, 0],
    [0, 0, 2, 0],
  ]);
  const x = tf.add(tf.gather(centers, y), tf.randomNormal([n, 4], 0, 0.7)) as tf.Tensor2D;
  return { x, y };
}

export function mlp(dropout = 0.2): tf.LayersModel {
  return tf.sequential({
    layers: [
      tf.layers.dense({ units: 16, inputShape: [4], activation: 'relu' }),
      tf.layers.batchNormalization(),
      tf.layers.dropout({ rate: dropout }),
      tf.layers.dense({ units: 3 }),
    ],
  });
}

export const stepLosses = (h: { kind: string; loss?: unknown }[]) =>
  h.filter((r) => r.kind === 'step').map((r) => r.loss);
