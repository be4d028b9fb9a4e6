/**
 * Layer normalization over the last axis as one op (PyTorch's `F.layer_norm` with an affine
 * weight and bias of the last axis' width): each position's features are standardized with their
 * own mean and biased variance, then scaled by `gamma` and shifted by `beta`. On the native
 * backend it is one kernel forward and one backward (`DlpipeLayerNorm`); elsewhere tf ops.
 *
 *   const y = layerNorm(x, gamma, beta, 1e-5);   // x [batch, steps, C], gamma/beta [C]
 */
import { LAYER_NORM, tf } from '@dlpipe/engine';
import { ShapeMismatchError } from '../errors.js';

/** (x − mean) / √(var + eps) · gamma + beta over the last axis of x; see the file header. */
export function layerNorm<T extends tf.Tensor>(x: T, gamma: tf.Tensor1D, beta: tf.Tensor1D, eps = 1e-5): T {
  const c = x.shape[x.rank - 1] ?? 0;
  if (
    x.rank < 1 ||
    c === 0 ||
    gamma.shape[0] !== c ||
    beta.shape[0] !== c ||
    gamma.rank !== 1 ||
    beta.rank !== 1
  ) {
    throw new ShapeMismatchError(
      `layerNorm: gamma and beta must be [${c}] (x's last axis) for x [${x.shape}]; received gamma [${gamma.shape}], beta [${beta.shape}]`,
    );
  }
  const fused =
    tf.opFusionEnabled() &&
    [x, gamma, beta].every((t) => t.dtype === 'float32') &&
    x.size > 0 &&
    tf.getKernel(LAYER_NORM, tf.getBackend()) !== undefined;
  return tf.tidy(() => {
    if (fused) {
      const [y] = tf.engine().runKernel(LAYER_NORM, { x, gamma, beta }, { epsilon: eps }) as tf.Tensor[];
      return y as T;
    }
    const { mean, variance } = tf.moments(x, -1, true);
    const normed = tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, eps)));
    return tf.add(tf.mul(normed, gamma), beta) as T;
  });
}
