/**
 * Adapts a tfjs Layers model to the loop's `TrainTask`: `fit(layersTask(model, { loss }), data, …)`.
 *
 *   const task = layersTask(model, { loss: 'softmaxCrossEntropy' });
 */

import { OptionsError } from '@dlpipe/core';
import type { tf } from '@dlpipe/engine';
import { saveModel } from '../io/model-io.js';
import { LOSSES, type LossFn, type LossName } from '../losses/losses.js';
import type { LossOutput, TrainTask, XYBatch } from './types.js';

export interface LayersTaskOptions {
  /** A loss by name or a function (yHat, y) → scalar. Default 'softmaxCrossEntropy'. */
  loss?: LossName | LossFn;
  /** Extra scalar added to the loss (e.g. `() => l2Penalty(kernels, 1e-4)`). */
  regularizer?: () => tf.Scalar;
}

export function layersTask(model: tf.LayersModel, options: LayersTaskOptions = {}): TrainTask<XYBatch> {
  const lossFn = lossOf(options.loss ?? 'softmaxCrossEntropy');
  return {
    trainableVariables: () => model.trainableWeights.map((w) => w.read() as tf.Variable),
    stateTensors: () => model.weights.map((w) => w.read() as tf.Variable),
    loss(batch, { training }): LossOutput {
      const yHat = model.apply(batch.x, { training }) as tf.Tensor;
      let loss = lossFn(yHat, batch.y);
      if (options.regularizer) loss = loss.add(options.regularizer()) as tf.Scalar;
      return { loss, yHat, y: batch.y };
    },
    batchSize: (batch) => batch.y.shape[0] ?? 0,
    saveModel: async (dir) => {
      await saveModel(model, dir);
    },
  };
}

/** A loss function by name (LOSSES) or as given. */
function lossOf(loss: LossName | LossFn): LossFn {
  if (typeof loss === 'function') return loss;
  if (Object.hasOwn(LOSSES, loss)) return LOSSES[loss];
  throw new OptionsError(
    `layersTask: unknown loss '${String(loss)}'; expected one of ${Object.keys(LOSSES).join(', ')} ` +
      'or a function (yHat, y) => scalar',
  );
}
