/**
 * The counting core of the ranking metrics (sklearn `_binary_clf_curve`): sort by score, descending,
 * and count false and true positives at each distinct score, so tied scores form one point.
 *
 *   binaryClfCurve([false, true, true], [0.1, 0.4, 0.4]);
 *   // { fps: [0, 1], tps: [2, 2], thresholds: [0.4, 0.1] }
 */
import { InvalidArgumentError, OptionsError } from '@dlpipe/core';
import {
  checkArrayLike,
  checkFinite,
  checkIntegers,
  checkNotEmpty,
  checkSameLength,
  sortedUnique,
} from './validate.js';

/** Cumulative counts at each distinct score, thresholds descending. */
export interface BinaryCurve {
  fps: number[];
  tps: number[];
  thresholds: number[];
}

/** Counts false and true positives when predicting positive for every score >= each threshold. */
export function binaryClfCurve(positive: readonly boolean[], scores: ArrayLike<number>): BinaryCurve {
  const order = Array.from(scores, (_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  const curve: BinaryCurve = { fps: [], tps: [], thresholds: [] };
  let tp = 0;
  let fp = 0;
  order.forEach((idx, k) => {
    if (positive[idx]) tp++;
    else fp++;
    const next = order[k + 1];
    if (next === undefined || scores[next] !== scores[idx]) {
      curve.fps.push(fp);
      curve.tps.push(tp);
      curve.thresholds.push(scores[idx]!);
    }
  });
  return curve;
}

/**
 * Validates binary targets and scores and returns which samples are positive. `posLabel`
 * undefined means 1, allowed only when yTrue is in {0, 1} or {-1, 1} (as sklearn). Throws when
 * yTrue holds only one class: no ranking metric is defined then.
 */
export function binaryTargets(
  yTrue: ArrayLike<number>,
  scores: ArrayLike<number>,
  posLabel: number | undefined,
): boolean[] {
  checkArrayLike('yTrue', yTrue);
  checkArrayLike('scores', scores);
  checkSameLength('yTrue', yTrue, 'scores', scores);
  checkNotEmpty('yTrue', yTrue);
  checkIntegers('yTrue', yTrue);
  checkFinite('scores', scores);
  const classes = sortedUnique(yTrue);
  const list = `[${classes.join(', ')}]`;
  if (classes.length > 2) {
    throw new InvalidArgumentError(
      `yTrue has ${classes.length} classes ${list}; this metric is binary. ` +
        'For multiclass AUC pass scores as a 2-D array [samples][classes] to rocAucScore.',
    );
  }
  if (classes.length < 2) {
    throw new InvalidArgumentError(
      `only one class (${list}) is present in yTrue; expected both a positive and a negative class.`,
    );
  }
  const pos = posLabel ?? defaultPosLabel(classes);
  if (!classes.includes(pos)) {
    throw new OptionsError(`posLabel ${pos} is not a label of yTrue; expected one of ${list}.`);
  }
  return Array.from(yTrue, (y) => y === pos);
}

function defaultPosLabel(classes: number[]): number {
  const in01 = classes.every((c) => c === 0 || c === 1);
  const inPm1 = classes.every((c) => c === -1 || c === 1);
  if (!in01 && !inPm1) {
    throw new InvalidArgumentError(
      `yTrue has labels [${classes.join(', ')}], not {0, 1} or {-1, 1}; pass posLabel.`,
    );
  }
  return 1;
}
