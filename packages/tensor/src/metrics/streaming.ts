/**
 * Streaming metrics for training loops: `update` once per batch, `result` when logging, `reset`
 * per epoch. Updates run in tf.tidy and read back only small reductions, so they leak no tensors.
 *
 *   const acc = new AccuracyMetric();
 *   for (const [x, y] of batches) acc.update(y, model.predict(x) as tf.Tensor);
 *   console.log(acc.name, acc.result()); // accuracy 0.93
 *   acc.reset();
 */
import { InvalidArgumentError, OptionsError } from '@dlpipe/core';
import { tf } from '@dlpipe/engine';
import { ShapeMismatchError } from '../errors.js';
import { type CrossEntropySum, crossEntropySum, perplexity } from './language.js';
import { readSmall } from './read-small.js';
import { tensorLabels } from './tensor-labels.js';
import { describe } from './validate.js';

/** A metric accumulated over batches. `result()` is NaN until a sample has been seen. */
export interface StreamingMetric {
  readonly name: string;
  /** Adds one batch: targets and predictions (logits or probabilities). */
  update(yTrue: tf.Tensor, yPred: tf.Tensor): void;
  /** The metric over every sample since the last reset. */
  result(): number;
  /** Forgets every sample seen. */
  reset(): void;
  /** What it has seen, as JSON, for a checkpoint (a metric without it restarts after a resume). */
  getState?(): unknown;
  /** Restores what `getState` gave. */
  setState?(state: unknown): void;
}

/** The state of a metric that keeps a sum and a count. */
interface SumCount {
  total: number;
  count: number;
}

function isSumCount(s: unknown): s is SumCount {
  const o = s as Partial<SumCount> | null;
  return typeof o?.total === 'number' && typeof o.count === 'number';
}

export interface MeanMetricOptions {
  /** Default 'mean'. */
  name?: string;
}

/** Running mean of every element passed to `update` (e.g. one scalar loss per batch). */
export class MeanMetric implements StreamingMetric {
  readonly name: string;
  private total = 0;
  private count = 0;

  constructor(options: MeanMetricOptions = {}) {
    this.name = options.name ?? 'mean';
  }

  /** Adds a value (number or tensor, every element counts once); a second argument is ignored. */
  update(value: tf.Tensor | number): void {
    if (typeof value === 'number') {
      this.total += value;
      this.count += 1;
      return;
    }
    if (!(value instanceof tf.Tensor)) {
      throw new InvalidArgumentError(
        `MeanMetric.update takes a number or tf.Tensor; received ${describe(value)}.`,
      );
    }
    if (value.size === 0) return;
    this.total += readSmall(() => tf.sum(tf.cast(value, 'float32')))[0]!;
    this.count += value.size;
  }

  result(): number {
    return this.count === 0 ? Number.NaN : this.total / this.count;
  }

  reset(): void {
    this.total = 0;
    this.count = 0;
  }

  getState(): SumCount {
    return { total: this.total, count: this.count };
  }

  setState(state: unknown): void {
    if (isSumCount(state)) ({ total: this.total, count: this.count } = state);
  }
}

export interface AccuracyMetricOptions {
  /** Default 'accuracy'. */
  name?: string;
  /** Binary predictions are logits: the default threshold becomes 0 instead of 0.5. */
  fromLogits?: boolean;
  /** Binary predictions above it count as class 1; default 0.5, or 0 with fromLogits. */
  threshold?: number;
}

/**
 * Fraction of correct predictions. yPred [batch, classes] → argmax, yTrue ids [batch] or one-hot;
 * yPred [batch] or [batch, 1] → binary, positive when above the threshold.
 */
export class AccuracyMetric implements StreamingMetric {
  readonly name: string;
  readonly threshold: number;
  private correct = 0;
  private count = 0;

  constructor(options: AccuracyMetricOptions = {}) {
    this.name = options.name ?? 'accuracy';
    this.threshold = options.threshold ?? (options.fromLogits ? 0 : 0.5);
    if (!Number.isFinite(this.threshold))
      throw new OptionsError(`threshold must be finite; received ${this.threshold}.`);
  }

  update(yTrue: tf.Tensor, yPred: tf.Tensor): void {
    let rows = 0;
    const [correct] = readSmall(() => {
      const ids = tensorLabels(yTrue, yPred, this.threshold);
      rows = ids.yTrue.size;
      return tf.sum(tf.cast(tf.equal(ids.yTrue, ids.yPred), 'int32'));
    });
    this.correct += correct!;
    this.count += rows;
  }

  result(): number {
    return this.count === 0 ? Number.NaN : this.correct / this.count;
  }

  reset(): void {
    this.correct = 0;
    this.count = 0;
  }

  getState(): SumCount {
    return { total: this.correct, count: this.count };
  }

  setState(state: unknown): void {
    if (isSumCount(state)) ({ total: this.correct, count: this.count } = state);
  }
}

export interface PerplexityMetricOptions {
  /** Default 'perplexity'. */
  name?: string;
  /** yPred holds logits (default true); false means probabilities. */
  fromLogits?: boolean;
}

/**
 * exp(mean cross-entropy) over every token seen: yPred [..., vocab] logits (or probabilities),
 * yTrue token ids [...] or one-hot [..., vocab].
 */
export class PerplexityMetric implements StreamingMetric {
  readonly name: string;
  readonly fromLogits: boolean;
  private total = 0;
  private count = 0;

  constructor(options: PerplexityMetricOptions = {}) {
    this.name = options.name ?? 'perplexity';
    this.fromLogits = options.fromLogits ?? true;
  }

  update(yTrue: tf.Tensor, yPred: tf.Tensor): void {
    if (!(yPred instanceof tf.Tensor) || !(yTrue instanceof tf.Tensor)) {
      const received = `yTrue: ${describe(yTrue)}, yPred: ${describe(yPred)}`;
      throw new InvalidArgumentError(
        `PerplexityMetric.update takes tf.Tensors (token ids, logits); received ${received}.`,
      );
    }
    if (yPred.rank < 2)
      throw new InvalidArgumentError(`yPred has shape [${yPred.shape}]; expected [..., vocab] logits.`);
    const vocab = yPred.shape[yPred.rank - 1]!;
    const oneHot = yTrue.rank === yPred.rank;
    if ((oneHot ? yTrue.size : yTrue.size * vocab) !== yPred.size) {
      throw new ShapeMismatchError(
        `yTrue has shape [${yTrue.shape}] for yPred [${yPred.shape}]; expected token ids ` +
          `[${yPred.shape.slice(0, -1)}] or one-hot [${yPred.shape}].`,
      );
    }
    let stats: CrossEntropySum = { sum: 0, count: 0 };
    tf.tidy(() => {
      const scores = this.fromLogits ? yPred : tf.log(tf.clipByValue(yPred, 1e-7, 1));
      const ids = oneHot ? tf.argMax(yTrue, -1) : yTrue;
      stats = crossEntropySum(tf.reshape(scores, [-1, vocab]), tf.reshape(ids, [-1]));
    });
    const { sum, count } = stats;
    this.total += sum;
    this.count += count;
  }

  result(): number {
    return this.count === 0 ? Number.NaN : perplexity(Math.max(0, this.total / this.count));
  }

  reset(): void {
    this.total = 0;
    this.count = 0;
  }

  getState(): SumCount {
    return { total: this.total, count: this.count };
  }

  setState(state: unknown): void {
    if (isSumCount(state)) ({ total: this.total, count: this.count } = state);
  }
}
