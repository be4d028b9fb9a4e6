/**
 * d2l's autoregressive model (d2l 0.17 §8.1): an MLP from the τ previous values to the next one,
 * Linear(τ, 10) → ReLU → Linear(10, 1), weights Xavier-uniform and biases U(±1/√fan_in) (d2l's
 * `init_weights` on PyTorch's defaults), trained with @dlpipe/tensor's `fit`: squared error, Adam
 * lr 0.01, mini-batches of 16, 5 epochs, on the first 600 examples, shuffled.
 *
 *   const { features, labels } = lagFeatures(sineSeries().x, 4);
 *   const net = autoregressiveMlp({ tau: 4, seed: 42 });
 *   const { losses } = await trainAutoregressive(net, features, labels, { nTrain: 600 });
 */
import { setSeed } from '@dlpipe/core';
import { type Callback, createOptimizer, fit, layersTask, tensorDataSource, tf } from '@dlpipe/tensor';
import { z } from 'zod';
import { parseSeriesOptions, TimeSeriesError } from './timeseries-error.js';

export interface AutoregressiveMlpOptions {
  /** Input width: the number of lags τ. Default 4 (d2l). */
  tau?: number;
  /** Hidden units. Default 10 (d2l). */
  numHiddens?: number;
  /** Seeds the initial weights. Default: unseeded. */
  seed?: number;
}

const mlpSchema = z.object({
  tau: z.number().int().min(1).default(4),
  numHiddens: z.number().int().min(1).default(10),
  seed: z.number().int().optional(),
});

/** A dense layer initialized as d2l's: Xavier-uniform kernel, PyTorch's U(±1/√fan_in) bias. */
function dense(units: number, fanIn: number, extra: { inputShape?: number[]; activation?: 'relu' }) {
  const bound = 1 / Math.sqrt(fanIn);
  return tf.layers.dense({
    units,
    kernelInitializer: 'glorotUniform',
    biasInitializer: tf.initializers.randomUniform({ minval: -bound, maxval: bound }),
    ...extra,
  });
}

/** d2l's `get_net()`: Linear(τ, numHiddens) → ReLU → Linear(numHiddens, 1). */
export function autoregressiveMlp(options: AutoregressiveMlpOptions = {}): tf.Sequential {
  const { tau, numHiddens, seed } = parseSeriesOptions('autoregressiveMlp', mlpSchema, options);
  if (seed !== undefined) setSeed(seed);
  return tf.sequential({
    layers: [dense(numHiddens, tau, { inputShape: [tau], activation: 'relu' }), dense(1, numHiddens, {})],
  });
}

/** The number of lags a model takes (its input width). */
export function inputWidth(net: tf.LayersModel): number {
  const width = net.inputs[0]?.shape[1];
  if (net.inputs.length !== 1 || net.inputs[0]!.shape.length !== 2 || typeof width !== 'number') {
    throw new TimeSeriesError(
      `an autoregressive model takes one input [batch, tau], got inputs ${JSON.stringify(net.inputs.map((i) => i.shape))}; build it with autoregressiveMlp().`,
    );
  }
  return width;
}

export interface TrainAutoregressiveOptions {
  /** Epochs. Default 5 (d2l). */
  numEpochs?: number;
  /** Mini-batch size. Default 16 (d2l). */
  batchSize?: number;
  /** Adam's learning rate. Default 0.01 (d2l). */
  lr?: number;
  /** Train on the first nTrain examples. Default 600 (d2l), at most all of them. */
  nTrain?: number;
  /** Shuffle the examples every epoch. Default true (d2l's `load_array(…, is_train=True)`). */
  shuffle?: boolean;
  /** Seeds the data order. Default: random. */
  seed?: number;
  /** Stop after this many optimizer steps (tests). Default: no limit. */
  maxSteps?: number;
  /** More `fit` callbacks. */
  callbacks?: Callback[];
}

const trainSchema = z.object({
  numEpochs: z.number().int().min(1).default(5),
  batchSize: z.number().int().min(1).default(16),
  lr: z.number().positive().default(0.01),
  nTrain: z.number().int().min(1).default(600),
  shuffle: z.boolean().default(true),
  seed: z.number().int().optional(),
  maxSteps: z.number().int().min(1).optional(),
  callbacks: z.array(z.custom<Callback>()).optional(),
});

/** Trains `net` on the first `nTrain` (features, label) examples; returns the mean loss of each epoch. */
export async function trainAutoregressive(
  net: tf.LayersModel,
  features: readonly (readonly number[])[],
  labels: readonly number[],
  options: TrainAutoregressiveOptions = {},
): Promise<{ losses: number[]; steps: number }> {
  const o = parseSeriesOptions('trainAutoregressive', trainSchema, options);
  const tau = inputWidth(net);
  if (features.length !== labels.length || features.some((f) => f.length !== tau)) {
    throw new TimeSeriesError(
      `trainAutoregressive: needs one label per example and ${tau} features each (the model's tau), ` +
        `got ${features.length} examples of widths [${[...new Set(features.map((f) => f.length))]}] and ${labels.length} labels.`,
    );
  }
  const n = Math.min(o.nTrain, features.length);
  const x = tf.tensor2d(features.slice(0, n) as number[][], [n, tau]);
  const y = tf.tensor2d(labels.slice(0, n), [n, 1]);
  const optimizer = createOptimizer({ name: 'adam', lr: o.lr }); // ours, so its moments are freed after
  try {
    const train = tensorDataSource({ x, y }, { batchSize: o.batchSize, shuffle: o.shuffle });
    const r = await fit(layersTask(net, { loss: 'mse' }), train, {
      epochs: o.numEpochs,
      optimizer,
      progress: false,
      ...(o.seed !== undefined && { seed: o.seed }),
      ...(o.maxSteps !== undefined && { maxSteps: o.maxSteps }),
      ...(o.callbacks && { callbacks: o.callbacks }),
    });
    const losses = r.history.filter((h) => h.kind === 'epoch').map((h) => Number(h.loss));
    return { losses, steps: r.steps };
  } finally {
    tf.dispose([x, y]);
    optimizer.dispose();
  }
}
