/**
 * Batch normalization in training mode as one fused op, `batchNormTrain` (d2l §8.5's
 * `batch_norm` with batch statistics), and a `BatchNormalization` layer that uses it: the layer
 * is tfjs-layers' own (same config, weights and class name, so saved models load in stock tfjs
 * and stock models load into it) with its training step replaced by the fused kernels where the
 * backend has them (`native`); other backends run tfjs-layers' moments + batchNorm unchanged. As
 * in Keras, a frozen layer (`trainable = false`) runs in inference mode, so fine-tuning with a
 * frozen backbone leaves its statistics alone.
 *
 *   const bn = batchNormalization({ momentum: 0.9, epsilon: 1e-5 });   // PyTorch's defaults
 *   const { y, mean, variance } = batchNormTrain(x, gamma, beta, 1e-5);
 */
import { InvalidArgumentError } from '@dlpipe/core';
import { BATCH_NORM_TRAIN, tf } from '@dlpipe/engine';
import { ShapeMismatchError } from '../errors.js';

export interface BatchNormTrainResult {
  /** (x − mean)/√(variance + ε)·scale + offset. */
  y: tf.Tensor;
  /** Batch mean per channel (last axis). */
  mean: tf.Tensor1D;
  /** Batch (biased) variance per channel, as tf.moments. */
  variance: tf.Tensor1D;
}

/** Whether the current backend runs `batchNormTrain` as fused kernels. */
export function hasFusedBatchNormTrain(): boolean {
  return tf.getKernel(BATCH_NORM_TRAIN, tf.getBackend()) !== undefined;
}

/**
 * Normalizes `x` with its own statistics over every axis but the last (channels-last), with
 * gradients through the statistics. Fused on backends that have the kernel, else tfjs ops.
 */
export function batchNormTrain(
  x: tf.Tensor,
  scale: tf.Tensor1D | null,
  offset: tf.Tensor1D | null,
  varianceEpsilon = 1e-3,
): BatchNormTrainResult {
  const c = x.shape[x.rank - 1] ?? 0;
  for (const [name, t] of [
    ['scale', scale],
    ['offset', offset],
  ] as const) {
    if (t && (t.rank !== 1 || t.shape[0] !== c)) {
      throw new ShapeMismatchError(
        `batchNormTrain: ${name} must have shape [${c}] (x's last axis), got [${t.shape}]`,
      );
    }
  }
  if (x.rank < 2 || x.size === 0) {
    throw new InvalidArgumentError(
      `batchNormTrain: x must have rank ≥ 2 and at least one element, got shape [${x.shape}]`,
    );
  }
  return tf.tidy(() => {
    const s = scale ?? tf.ones([c]);
    const o = offset ?? tf.zeros([c]);
    if (x.dtype === 'float32' && hasFusedBatchNormTrain()) {
      const [y, mean, variance] = tf
        .engine()
        .runKernel(BATCH_NORM_TRAIN, { x, scale: s, offset: o }, { varianceEpsilon }) as [
        tf.Tensor,
        tf.Tensor1D,
        tf.Tensor1D,
      ];
      return { y, mean, variance };
    }
    // As [rows, C]: tfjs's batchNorm gradient handles rank ≤ 4 only.
    const x2 = tf.reshape(x, [-1, c]);
    const { mean, variance } = tf.moments(x2, 0);
    const y = tf.reshape(tf.batchNorm(x2, mean, variance, o, s, varianceEpsilon), x.shape);
    return { y, mean: mean as tf.Tensor1D, variance: variance as tf.Tensor1D };
  });
}

type StockBatchNorm = ReturnType<typeof tf.layers.batchNormalization>;
type BatchNormArgs = Parameters<typeof tf.layers.batchNormalization>[0];

/** tfjs-layers' BatchNormalization class (not exported by name), with the static fromConfig it inherits. */
const StockBatchNormalization = tf.layers.batchNormalization({}).constructor as (new (
  args?: BatchNormArgs,
) => StockBatchNorm) & {
  fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>,
    config: tf.serialization.ConfigDict,
  ): T;
};

interface BatchNormState {
  axis: number;
  epsilon: number;
  momentum: number;
  gamma: tf.LayerVariable | null;
  beta: tf.LayerVariable | null;
  movingMean: tf.LayerVariable;
  movingVariance: tf.LayerVariable;
}

/**
 * tfjs-layers' BatchNormalization, registered under the same class name, whose training step
 * runs `batchNormTrain` when the axis is the last one and the backend has the fused kernels.
 */
export class BatchNormalization extends StockBatchNormalization {
  /** The stock name: saved models stay loadable by stock tfjs, and loading stock models gets this class. */
  static readonly className = 'BatchNormalization';
  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor | tf.Tensor[] {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    // tfjs-layers declares these fields private (and untyped) in its .d.ts: no typed access exists.
    const st = this as unknown as BatchNormState;
    // A frozen layer normalizes with its moving statistics and leaves them alone, as Keras ≥ 2.1.3
    // (stock tfjs-layers would keep updating them while the layer is "frozen").
    const training = kwargs.training === true && this.trainable;
    const lastAxis = x !== undefined && (st.axis === -1 || st.axis === x.rank - 1);
    if (!training || !x || !lastAxis || x.rank < 2 || x.dtype !== 'float32' || !hasFusedBatchNormTrain()) {
      return super.call(inputs, training ? kwargs : { ...kwargs, training: false });
    }
    return tf.tidy(() => {
      const scale = (st.gamma?.read() ?? null) as tf.Tensor1D | null;
      const offset = (st.beta?.read() ?? null) as tf.Tensor1D | null;
      const { y, mean, variance } = batchNormTrain(x, scale, offset, st.epsilon);
      // moving = moving − (moving − batch)·(1 − momentum), as tfjs-layers (biased variance).
      for (const [v, batch] of [
        [st.movingMean, mean],
        [st.movingVariance, variance],
      ] as const) {
        tf.tidy(() => {
          const old = v.read();
          v.write(tf.sub(old, tf.mul(tf.sub(old, batch), 1 - st.momentum)));
        });
      }
      return y;
    });
  }
}
tf.serialization.registerClass(BatchNormalization);

/** A BatchNormalization layer (tfjs-layers' arguments) with the fused training step. */
export function batchNormalization(args: BatchNormArgs = {}): BatchNormalization {
  return new BatchNormalization(args);
}
