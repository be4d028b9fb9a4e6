/**
 * Streaming precision, recall and F1: each batch adds to a confusion matrix (read back as
 * classes² numbers), and `result()` scores it exactly as `precisionRecallF1` would score every
 * sample at once (classes never seen, in yTrue or yPred, are left out as sklearn does).
 *
 *   const f1 = new F1Metric({ average: 'macro' });
 *   f1.update(tf.tensor1d([0, 2, 1], 'int32'), logits); // logits [3, 3]
 *   f1.result();
 */
import { InvalidArgumentError, OptionsError } from '@dlpipe/core';
import { tf } from '@dlpipe/engine';
import {
  type Average,
  binaryPosLabel,
  countsFromConfusion,
  type PrecisionRecallF1,
  scoresFromCounts,
  selectCounts,
} from './classification.js';
import { readSmall } from './read-small.js';
import type { StreamingMetric } from './streaming.js';
import { classesOfPrediction, tensorLabels } from './tensor-labels.js';

/** The averages a single-number streaming metric can report. */
export type StreamingAverage = Exclude<Average, 'none'>;

export interface ConfusionMetricOptions {
  /** Default the score's name: 'precision', 'recall' or 'f1'. */
  name?: string;
  /** How per-class scores are combined; default 'macro'. 'binary' scores posLabel of 2 classes. */
  average?: StreamingAverage;
  /** Number of classes; default inferred from the first yPred (2 when binary, else its last dim). */
  numClasses?: number;
  /** The positive class when `average` is 'binary'; default 1. */
  posLabel?: number;
  /** The score of a class whose ratio is 0/0; default 0. */
  zeroDivision?: 0 | 1;
  /** Binary predictions are logits: the default threshold becomes 0 instead of 0.5. */
  fromLogits?: boolean;
  /** Binary predictions above it count as class 1; default 0.5, or 0 with fromLogits. */
  threshold?: number;
}

/** The score a ConfusionMetric reports. */
export type ConfusionScore = 'precision' | 'recall' | 'f1';

export interface ConfusionScoreOptions extends ConfusionMetricOptions {
  /** Which score `result()` reports. */
  score: ConfusionScore;
}
const STREAMING_AVERAGES: readonly StreamingAverage[] = ['binary', 'macro', 'micro', 'weighted'];

/** A confusion matrix accumulated over batches, scored as precision, recall or F1. */
export class ConfusionMetric implements StreamingMetric {
  readonly name: string;
  readonly score: ConfusionScore;
  readonly average: StreamingAverage;
  readonly posLabel: number;
  readonly zeroDivision: 0 | 1;
  readonly threshold: number;
  private readonly fixedClasses: number | undefined;
  private numClasses: number | undefined;
  private cm: number[][] | undefined;

  constructor(options: ConfusionScoreOptions) {
    this.score = options.score;
    this.name = options.name ?? options.score;
    this.average = options.average ?? 'macro';
    this.posLabel = options.posLabel ?? 1;
    this.zeroDivision = options.zeroDivision ?? 0;
    this.threshold = options.threshold ?? (options.fromLogits ? 0 : 0.5);
    this.fixedClasses = options.numClasses;
    this.numClasses = options.numClasses;
    if (!STREAMING_AVERAGES.includes(this.average)) {
      throw new OptionsError(
        `average must be one of ${STREAMING_AVERAGES.join(', ')}; received ${String(options.average)}. ` +
          "('none' gives one number per class: use precisionRecallF1 on the matrix instead.)",
      );
    }
    if (this.numClasses !== undefined) this.checkClasses(this.numClasses);
  }

  update(yTrue: tf.Tensor, yPred: tf.Tensor): void {
    const numClasses = this.resolveClasses(classesOfPrediction(yPred));
    let rows = 0;
    const counts = readSmall(() => {
      const ids = tensorLabels(yTrue, yPred, this.threshold);
      rows = ids.yTrue.size;
      return tf.math.confusionMatrix(ids.yTrue, ids.yPred, numClasses);
    });
    const counted = counts.reduce((a, b) => a + b, 0);
    if (counted !== rows) {
      throw new InvalidArgumentError(
        `yTrue holds ${rows - counted} labels outside [0, ${numClasses}); expected class ids.`,
      );
    }
    this.cm ??= Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
    counts.forEach((n, k) => {
      this.cm![Math.floor(k / numClasses)]![k % numClasses]! += n;
    });
  }

  /** The accumulated matrix: rows are true classes, columns predicted ones. */
  matrix(): number[][] {
    return (this.cm ?? []).map((row) => [...row]);
  }

  result(): number {
    const counts = countsFromConfusion(this.cm ?? []);
    const present = counts.labels.filter((_, i) => counts.support[i]! + counts.predicted[i]! > 0);
    if (present.length === 0) return Number.NaN;
    const labels = this.average === 'binary' ? [binaryPosLabel(present, this.posLabel)] : present;
    const scores = scoresFromCounts(selectCounts(counts, labels), this.average, this.zeroDivision);
    return (scores as PrecisionRecallF1)[this.score];
  }

  reset(): void {
    this.cm = undefined;
    this.numClasses = this.fixedClasses;
  }

  getState(): { numClasses: number | null; cm: number[][] | null } {
    return { numClasses: this.numClasses ?? null, cm: this.cm ?? null };
  }

  setState(state: unknown): void {
    const s = state as { numClasses?: unknown; cm?: unknown } | null;
    if (!s || !Array.isArray(s.cm) || typeof s.numClasses !== 'number') return;
    this.numClasses = s.numClasses;
    this.cm = s.cm as number[][];
  }

  private resolveClasses(fromShape: number): number {
    if (this.numClasses === undefined) {
      this.checkClasses(fromShape);
      this.numClasses = fromShape;
    }
    if (fromShape !== this.numClasses) {
      const source = this.fixedClasses === undefined ? 'the classes of the first batch' : 'numClasses';
      throw new InvalidArgumentError(
        `yPred stands for ${fromShape} classes; expected ${this.numClasses} (${source}). ` +
          'Pass every batch with the same number of classes, or call reset() between evaluations.',
      );
    }
    return this.numClasses;
  }

  private checkClasses(numClasses: number): void {
    if (!Number.isInteger(numClasses) || numClasses < 2) {
      throw new OptionsError(`numClasses must be an integer >= 2; received ${numClasses}.`);
    }
    if (this.average === 'binary' && numClasses !== 2) {
      throw new OptionsError(
        `average 'binary' needs 2 classes; received ${numClasses}. Choose 'macro' or 'micro'.`,
      );
    }
  }
}

/** Streaming F1 (see ConfusionMetric). */
export class F1Metric extends ConfusionMetric {
  constructor(options: ConfusionMetricOptions = {}) {
    super({ ...options, score: 'f1' });
  }
}

/** Streaming precision (see ConfusionMetric). */
export class PrecisionMetric extends ConfusionMetric {
  constructor(options: ConfusionMetricOptions = {}) {
    super({ ...options, score: 'precision' });
  }
}

/** Streaming recall (see ConfusionMetric). */
export class RecallMetric extends ConfusionMetric {
  constructor(options: ConfusionMetricOptions = {}) {
    super({ ...options, score: 'recall' });
  }
}
