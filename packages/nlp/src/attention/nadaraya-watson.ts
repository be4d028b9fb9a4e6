/**
 * Nadaraya–Watson attention pooling on d2l's toy regression (d2l 0.17 §10.2, d2l 1.0 §11.2):
 * 50 sorted training inputs x ~ U(0, 5), y = 2 sin x + x^0.8 + N(0, 0.5²), test inputs 0, 0.1, …,
 * 4.9. The non-parametric estimate weighs every training target by a Gaussian kernel of the
 * distance, softmax(−(q − k)²/2); `NWKernelRegression` learns a width w in
 * softmax(−((q − k)·w)²/2), trained as d2l: each training point attends to all the others, SGD
 * lr 0.5, 5 epochs, squared error summed over the points (d2l's `MSELoss(reduction='none')` + sum).
 *
 *   const data = nwToyData({ seed: 0 });
 *   const { yHat, attentionWeights } = nwNonParametric(data.xTest, data.xTrain, data.yTrain);
 *   const net = new NWKernelRegression();
 *   trainNWKernelRegression(net, data.xTrain, data.yTrain);       // losses per epoch
 *   writeAttentionHeatmap(attentionWeights, 'runs/nw/weights.png', { xLabel: 'Sorted training inputs', yLabel: 'Sorted testing inputs' });
 */
import { Rng } from '@dlpipe/core';
import { tf } from '@dlpipe/tensor';
import { z } from 'zod';
import { AttentionError } from './attention-error.js';
import { parseAttentionOptions } from './attention-pooling.js';

/** d2l's target function: 2 sin x + x^0.8. */
export function nwTarget(x: number): number {
  return 2 * Math.sin(x) + x ** 0.8;
}

export interface NWToyData {
  /** Sorted training inputs in [0, 5). */
  xTrain: number[];
  /** Noisy targets of the training inputs. */
  yTrain: number[];
  /** 0, 0.1, …, 4.9. */
  xTest: number[];
  /** Noise-free targets of the test inputs. */
  yTruth: number[];
}

export interface NWToyDataOptions {
  /** Training points. Default 50 (d2l). */
  nTrain?: number;
  /** Noise standard deviation. Default 0.5 (d2l). */
  noise?: number;
  /** Seed of the data. Default 0. */
  seed?: number;
}

const toyDataSchema = z.object({
  nTrain: z.number().int().min(2).default(50),
  noise: z.number().min(0).default(0.5),
  seed: z.number().int().default(0),
});

/** d2l's toy regression data set. */
export function nwToyData(options: NWToyDataOptions = {}): NWToyData {
  const { nTrain, noise, seed } = parseAttentionOptions('nwToyData', toyDataSchema, options);
  const rng = new Rng(seed);
  const xTrain = Array.from({ length: nTrain }, () => rng.next() * 5).sort((a, b) => a - b);
  const yTrain = xTrain.map((x) => nwTarget(x) + rng.normal() * noise);
  const xTest = Array.from({ length: 50 }, (_, i) => i / 10);
  return { xTrain, yTrain, xTest, yTruth: xTest.map(nwTarget) };
}

/** Gaussian-kernel attention weights softmax(−((q − k)·w)²/2) of queries [n] over keys [n, m] or [m]. */
export function gaussianAttention(
  queries: tf.Tensor1D,
  keys: tf.Tensor,
  w: tf.Tensor | number = 1,
): tf.Tensor2D {
  const n = queries.shape[0];
  if (!(keys.rank === 1 || (keys.rank === 2 && keys.shape[0] === n))) {
    throw new AttentionError(
      `gaussianAttention: keys must be [m] or [${n}, m] for ${n} queries, got [${keys.shape}].`,
    );
  }
  return tf.tidy(() => {
    const d = tf.mul(tf.sub(tf.reshape(queries, [n, 1]), keys), w);
    return tf.softmax(tf.div(tf.neg(tf.square(d)), 2), -1) as tf.Tensor2D;
  });
}

/** The attention-weighted sum of values [n, m] or [m] per row of weights [n, m]. */
function pool(weights: tf.Tensor2D, values: tf.Tensor): tf.Tensor1D {
  return tf.tidy(() => tf.sum(tf.mul(weights, values), 1) as tf.Tensor1D);
}

function vector(what: string, x: readonly number[] | tf.Tensor1D): tf.Tensor1D {
  if (x instanceof tf.Tensor) return x.clone();
  if (x.length === 0) throw new AttentionError(`${what} is empty; pass at least one number.`);
  return tf.tensor1d(x as number[]);
}

/** Non-parametric Nadaraya–Watson: every query's estimate from all training pairs. */
export function nwNonParametric(
  queries: readonly number[] | tf.Tensor1D,
  xTrain: readonly number[] | tf.Tensor1D,
  yTrain: readonly number[] | tf.Tensor1D,
): { yHat: tf.Tensor1D; attentionWeights: tf.Tensor2D } {
  return tf.tidy(() => {
    const x = vector('xTrain', xTrain);
    const y = vector('yTrain', yTrain);
    if (x.shape[0] !== y.shape[0]) {
      throw new AttentionError(`nwNonParametric: ${x.shape[0]} training inputs but ${y.shape[0]} targets.`);
    }
    const attentionWeights = gaussianAttention(vector('queries', queries), x);
    return { yHat: pool(attentionWeights, y), attentionWeights };
  });
}

/** Keys and values [n, n − 1] for training: row i holds every training pair but the i-th (d2l). */
export function leaveOneOut(
  xTrain: readonly number[],
  yTrain: readonly number[],
): { keys: tf.Tensor2D; values: tf.Tensor2D } {
  const others = (v: readonly number[]) => v.map((_, i) => v.filter((_, j) => j !== i));
  return { keys: tf.tensor2d(others(xTrain)), values: tf.tensor2d(others(yTrain)) };
}

export interface NWKernelRegressionOptions {
  /** The initial width w. Default: U(0, 1), as d2l's `torch.rand((1,))`. */
  w0?: number;
}

/** Parametric Nadaraya–Watson: softmax(−((q − k)·w)²/2) with a learned w. */
export class NWKernelRegression {
  readonly w: tf.Variable<tf.Rank.R1>;
  private last: tf.Tensor2D | undefined;

  constructor(options: NWKernelRegressionOptions = {}) {
    this.w = tf.variable(tf.tensor1d([options.w0 ?? Math.random()]));
  }

  /** The attention weights [n, m] of the last forward call (kept until the next, or `dispose`). */
  get attentionWeights(): tf.Tensor2D | undefined {
    return this.last;
  }

  /** queries [n], keys and values [n, m] (or [m], shared by every query) → estimates [n]. */
  forward(queries: tf.Tensor1D, keys: tf.Tensor, values: tf.Tensor): tf.Tensor1D {
    if (keys.shape.join() !== values.shape.join()) {
      throw new AttentionError(
        `NWKernelRegression: keys [${keys.shape}] and values [${values.shape}] must have one shape (a value per key).`,
      );
    }
    return tf.tidy(() => {
      const weights = gaussianAttention(queries, keys, this.w);
      this.last?.dispose();
      this.last = tf.keep(tf.clone(weights));
      return pool(weights, values);
    });
  }

  trainableVariables(): tf.Variable[] {
    return [this.w];
  }

  dispose(): void {
    this.last?.dispose();
    this.last = undefined;
    this.w.dispose();
  }
}

export interface TrainNWOptions {
  /** Epochs (full-batch steps). Default 5 (d2l). */
  numEpochs?: number;
  /** SGD learning rate. Default 0.5 (d2l). */
  lr?: number;
}

const trainSchema = z.object({
  numEpochs: z.number().int().positive().default(5),
  lr: z.number().positive().default(0.5),
});

/**
 * d2l's training of `NWKernelRegression`: leave-one-out keys and values, full-batch SGD on the
 * summed squared error. Returns the loss of each epoch (before its step, as d2l prints it).
 */
export function trainNWKernelRegression(
  net: NWKernelRegression,
  xTrain: readonly number[],
  yTrain: readonly number[],
  options: TrainNWOptions = {},
): { losses: number[] } {
  const { numEpochs, lr } = parseAttentionOptions('trainNWKernelRegression', trainSchema, options);
  if (xTrain.length !== yTrain.length || xTrain.length < 2) {
    throw new AttentionError(
      `trainNWKernelRegression: needs ≥ 2 training pairs of equal length, got ${xTrain.length} inputs and ${yTrain.length} targets.`,
    );
  }
  const { keys, values } = leaveOneOut(xTrain, yTrain);
  const x = tf.tensor1d(xTrain as number[]);
  const y = tf.tensor1d(yTrain as number[]);
  const losses: number[] = [];
  try {
    for (let epoch = 0; epoch < numEpochs; epoch++) {
      tf.tidy(() => {
        const { value, grads } = tf.variableGrads(
          () => tf.sum(tf.square(tf.sub(net.forward(x, keys, values), y))) as tf.Scalar,
          [net.w],
        );
        net.w.assign(tf.sub(net.w, tf.mul(grads[net.w.name]!, lr)));
        losses.push(value.dataSync()[0]!);
      });
    }
  } finally {
    tf.dispose([keys, values, x, y]);
  }
  return { losses };
}
