/**
 * Ranking metrics with scikit-learn (>= 1.3) semantics: the ROC curve and its area (binary and
 * one-vs-rest multiclass), the precision-recall curve and average precision.
 *
 *   rocCurve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]);
 *   // { fpr: [0, 0, 0.5, 0.5, 1], tpr: [0, 0.5, 0.5, 1, 1], thresholds: [Infinity, 0.8, 0.4, 0.35, 0.1] }
 *   rocAucScore([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]);                  // 0.75
 *   rocAucScore([0, 1, 2], [[0.8, 0.1, 0.1], [0.2, 0.7, 0.1], [0.1, 0.1, 0.8]]); // 1 (ovr, macro)
 *   averagePrecision([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]);             // 0.833…
 */
import { InvalidArgumentError, OptionsError } from '@dlpipe/core';
import { ShapeMismatchError } from '../errors.js';
import { binaryClfCurve, binaryTargets } from './binary-curve.js';
import {
  checkArrayLike,
  checkFinite,
  checkIntegers,
  checkSameLength,
  sortedUnique,
  sumOf,
} from './validate.js';

export interface RocCurveOptions {
  /** The label of the positive class; default 1 (yTrue must then be in {0, 1} or {-1, 1}). */
  posLabel?: number;
  /** Drop points collinear with their neighbours (they do not change the curve); default true. */
  dropIntermediate?: boolean;
}

export interface RocCurve {
  /** False-positive rates, ascending, from 0 to 1. */
  fpr: number[];
  /** True-positive rates, ascending, from 0 to 1. */
  tpr: number[];
  /** Decreasing thresholds; `thresholds[0]` is Infinity (no sample predicted positive). */
  thresholds: number[];
}

/** The ROC curve (sklearn `roc_curve`): one point per distinct score, plus (0, 0) at Infinity. */
export function rocCurve(
  yTrue: ArrayLike<number>,
  scores: ArrayLike<number>,
  options: RocCurveOptions = {},
): RocCurve {
  const { posLabel, dropIntermediate = true } = options;
  let { fps, tps, thresholds } = binaryClfCurve(binaryTargets(yTrue, scores, posLabel), scores);
  if (dropIntermediate && fps.length > 2) {
    const keep = fps.map((_, i) => i === 0 || i === fps.length - 1 || bends(fps, i) || bends(tps, i));
    const kept = <T>(values: T[]) => values.filter((_, i) => keep[i]);
    [fps, tps, thresholds] = [kept(fps), kept(tps), kept(thresholds)];
  }
  const negatives = fps[fps.length - 1]!;
  const positives = tps[tps.length - 1]!;
  return {
    fpr: [0, ...fps.map((f) => f / negatives)],
    tpr: [0, ...tps.map((t) => t / positives)],
    thresholds: [Number.POSITIVE_INFINITY, ...thresholds],
  };
}

/** Whether the second difference at i is non-zero (sklearn `np.diff(x, 2)`). */
const bends = (x: number[], i: number) => x[i + 1]! - 2 * x[i]! + x[i - 1]! !== 0;

/** The area under a curve by the trapezoidal rule (sklearn `auc`); x must be monotonic. */
export function auc(x: ArrayLike<number>, y: ArrayLike<number>): number {
  checkArrayLike('x', x);
  checkArrayLike('y', y);
  checkSameLength('x', x, 'y', y);
  if (x.length < 2) throw new InvalidArgumentError(`auc needs at least 2 points; received ${x.length}.`);
  let area = 0;
  let rising = true;
  let falling = true;
  for (let i = 1; i < x.length; i++) {
    const dx = x[i]! - x[i - 1]!;
    rising &&= dx >= 0;
    falling &&= dx <= 0;
    area += (dx * (y[i]! + y[i - 1]!)) / 2;
  }
  if (!rising && !falling)
    throw new InvalidArgumentError('x is neither increasing nor decreasing; auc needs a monotonic x.');
  return falling && !rising ? -area : area;
}

export interface RocAucOptions {
  /** Binary: the positive class; default the greater label (sklearn `roc_auc_score`). */
  posLabel?: number;
  /** Multiclass (2-D scores): one-vs-rest, the only strategy; default 'ovr'. */
  multiClass?: 'ovr';
  /** Multiclass: unweighted mean over classes, or weighted by class prevalence; default 'macro'. */
  average?: 'macro' | 'weighted';
}

/**
 * Area under the ROC curve. Binary: `scores` is one score per sample; the area counts tied scores
 * as half, so it equals the Mann–Whitney U / (positives · negatives). Multiclass: `scores` is
 * [samples][classes] probabilities (rows sum to 1), class k being the k-th sorted label of yTrue.
 */
export function rocAucScore(
  yTrue: ArrayLike<number>,
  scores: ArrayLike<number> | ReadonlyArray<ArrayLike<number>>,
  options: RocAucOptions = {},
): number {
  if (isMatrix(scores)) return ovrAucScore(yTrue, scores, options);
  checkArrayLike('yTrue', yTrue);
  const posLabel = options.posLabel ?? sortedUnique(yTrue).at(-1);
  const { fpr, tpr } = rocCurve(yTrue, scores, { posLabel, dropIntermediate: false });
  return auc(fpr, tpr);
}

function isMatrix(scores: unknown): scores is ReadonlyArray<ArrayLike<number>> {
  return Array.isArray(scores) && scores.length > 0 && typeof scores[0] === 'object' && scores[0] !== null;
}

function ovrAucScore(
  yTrue: ArrayLike<number>,
  scores: ReadonlyArray<ArrayLike<number>>,
  options: RocAucOptions,
) {
  const { multiClass = 'ovr', average = 'macro' } = options;
  if (multiClass !== 'ovr')
    throw new OptionsError(`multiClass must be 'ovr'; received ${String(multiClass)}.`);
  if (average !== 'macro' && average !== 'weighted') {
    throw new OptionsError(`average must be 'macro' or 'weighted'; received ${String(average)}.`);
  }
  checkArrayLike('yTrue', yTrue);
  checkSameLength('yTrue', yTrue, 'scores', scores);
  checkIntegers('yTrue', yTrue);
  const numClasses = checkProbabilityRows(scores);
  const classes = sortedUnique(yTrue);
  if (classes.length !== numClasses) {
    throw new ShapeMismatchError(
      `yTrue has ${classes.length} classes [${classes.join(', ')}] but scores has ${numClasses} columns; ` +
        'expected one column per class.',
    );
  }
  const oneVsRest = classes.map((c) => Array.from(yTrue, (y) => (y === c ? 1 : 0)));
  const perClass = oneVsRest.map((y, k) =>
    rocAucScore(
      y,
      scores.map((row) => row[k]!),
    ),
  );
  const weights = oneVsRest.map((y) => (average === 'macro' ? 1 : sumOf(y)));
  const total = sumOf(weights);
  return perClass.reduce((acc, a, k) => acc + a * weights[k]!, 0) / total;
}

/** Checks rows of equal length (>= 2) that sum to 1 (sklearn `np.allclose`); returns the width. */
function checkProbabilityRows(scores: ReadonlyArray<ArrayLike<number>>): number {
  const width = scores[0]!.length;
  scores.forEach((row, i) => {
    checkArrayLike(`scores[${i}]`, row);
    if (row.length !== width || width < 2) {
      throw new InvalidArgumentError(
        `scores[${i}] has ${row.length} columns; expected ${Math.max(width, 2)} like scores[0].`,
      );
    }
    checkFinite(`scores[${i}]`, row);
    const total = sumOf(row);
    if (Math.abs(total - 1) > 1e-8 + 1e-5 * Math.abs(total)) {
      throw new InvalidArgumentError(
        `scores[${i}] sums to ${total}; multiclass AUC expects probabilities that sum to 1 per row ` +
          '(apply softmax to logits first).',
      );
    }
  });
  return width;
}

export interface PrecisionRecallCurveOptions {
  /** The label of the positive class; default 1 (yTrue must then be in {0, 1} or {-1, 1}). */
  posLabel?: number;
}

export interface PrecisionRecallCurve {
  /** Precision at each threshold, then a final 1. */
  precision: number[];
  /** Recall at each threshold (decreasing), then a final 0. */
  recall: number[];
  /** Distinct scores, ascending; one fewer than precision and recall. */
  thresholds: number[];
}

/** The precision-recall curve (sklearn `precision_recall_curve`). */
export function precisionRecallCurve(
  yTrue: ArrayLike<number>,
  scores: ArrayLike<number>,
  options: PrecisionRecallCurveOptions = {},
): PrecisionRecallCurve {
  const { fps, tps, thresholds } = binaryClfCurve(binaryTargets(yTrue, scores, options.posLabel), scores);
  const positives = tps[tps.length - 1]!;
  return {
    precision: [...tps.map((t, i) => t / (t + fps[i]!)).reverse(), 1],
    recall: [...tps.map((t) => t / positives).reverse(), 0],
    thresholds: [...thresholds].reverse(),
  };
}

/** Average precision (sklearn `average_precision_score`): Σ (Rₙ − Rₙ₋₁) · Pₙ, no interpolation. */
export function averagePrecision(
  yTrue: ArrayLike<number>,
  scores: ArrayLike<number>,
  options: PrecisionRecallCurveOptions = {},
): number {
  const { precision, recall } = precisionRecallCurve(yTrue, scores, options);
  let ap = 0;
  for (let i = 0; i + 1 < recall.length; i++) ap += (recall[i]! - recall[i + 1]!) * precision[i]!;
  return ap;
}
