/**
 * Classification metrics with scikit-learn semantics: accuracy, the confusion matrix (rows = true
 * class, columns = predicted class) and precision / recall / F1 with every sklearn `average`.
 *
 *   accuracy([0, 1, 1], [0, 1, 0]);                                    // 0.666…
 *   confusionMatrix([0, 1, 1], [0, 1, 0]);                             // [[1, 0], [1, 1]]
 *   precisionRecallF1([0, 1, 2, 2], [0, 2, 2, 2], { average: 'macro' }); // { precision: 0.555…, … }
 */
import { InvalidArgumentError, OptionsError } from '@dlpipe/core';
import { checkArrayLike, checkIntegers, checkLabelPair, sortedUnique } from './validate.js';

/** How per-class scores are combined (sklearn `average`; 'none' is sklearn's `None`). */
export type Average = 'binary' | 'macro' | 'micro' | 'weighted' | 'none';

const AVERAGES: readonly Average[] = ['binary', 'macro', 'micro', 'weighted', 'none'];

/** The fraction of samples whose predicted label equals the true label. */
export function accuracy(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  checkLabelPair('yTrue', yTrue, 'yPred', yPred);
  let correct = 0;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === yPred[i]) correct++;
  return correct / yTrue.length;
}

export interface ConfusionMatrixOptions {
  /** Count classes 0…numClasses-1; a label outside that range throws. Default: the labels present. */
  numClasses?: number;
  /** Count these classes, in this order (sklearn `labels`); samples with other labels are skipped. */
  labels?: ArrayLike<number>;
}

/** The confusion matrix: `cm[i][j]` counts samples of true class i predicted as class j. */
export function confusionMatrix(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  options: ConfusionMatrixOptions = {},
): number[][] {
  checkLabelPair('yTrue', yTrue, 'yPred', yPred);
  const labels = matrixLabels(yTrue, yPred, options);
  const index = new Map(labels.map((label, i) => [label, i]));
  const cm = labels.map(() => new Array<number>(labels.length).fill(0));
  for (let i = 0; i < yTrue.length; i++) {
    const row = index.get(yTrue[i]!);
    const col = index.get(yPred[i]!);
    if (row !== undefined && col !== undefined) cm[row]![col]!++;
  }
  return cm;
}

function matrixLabels(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, options: ConfusionMatrixOptions) {
  const { numClasses, labels } = options;
  if (numClasses !== undefined && labels !== undefined) {
    throw new OptionsError('confusionMatrix takes numClasses or labels, not both; received both.');
  }
  if (labels !== undefined) return checkedLabels(labels, yTrue);
  if (numClasses === undefined) return sortedUnique(yTrue, yPred);
  if (!Number.isInteger(numClasses) || numClasses < 1) {
    throw new OptionsError(`numClasses must be an integer >= 1; received ${numClasses}.`);
  }
  for (const [name, y] of [['yTrue', yTrue] as const, ['yPred', yPred] as const]) {
    const bad = Array.prototype.findIndex.call(y, (v: number) => v < 0 || v >= numClasses);
    if (bad >= 0) {
      throw new InvalidArgumentError(
        `${name}[${bad}] is ${y[bad]}; expected a label in [0, ${numClasses}) for numClasses ${numClasses}.`,
      );
    }
  }
  return Array.from({ length: numClasses }, (_, i) => i);
}

/** Validates an explicit `labels` option: integers, distinct, at least one present in yTrue (sklearn). */
function checkedLabels(labels: ArrayLike<number>, yTrue: ArrayLike<number>): number[] {
  checkArrayLike('labels', labels);
  checkIntegers('labels', labels);
  const list = Array.from(labels);
  if (list.length === 0) throw new OptionsError('labels is empty; expected at least one class label.');
  if (new Set(list).size !== list.length)
    throw new OptionsError(`labels has duplicates: [${list.join(', ')}]; expected each class once.`);
  const present = new Set(Array.from(yTrue));
  if (!list.some((l) => present.has(l))) {
    throw new OptionsError(`none of labels [${list.join(', ')}] occurs in yTrue; expected at least one.`);
  }
  return list;
}

/** Per-class counts behind precision and recall, aligned with `labels`. */
export interface ClassCounts {
  labels: number[];
  /** True positives: samples of the class predicted as the class. */
  tp: number[];
  /** Samples predicted as the class (tp + fp). */
  predicted: number[];
  /** Samples of the class (tp + fn). */
  support: number[];
}

/** Counts tp / predicted / support for each label, from the label arrays. */
export function countLabels(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  labels: number[],
): ClassCounts {
  const index = new Map(labels.map((label, i) => [label, i]));
  const counts = emptyCounts(labels);
  for (let i = 0; i < yTrue.length; i++) {
    const t = index.get(yTrue[i]!);
    const p = index.get(yPred[i]!);
    if (t !== undefined) counts.support[t]!++;
    if (p !== undefined) counts.predicted[p]!++;
    if (t !== undefined && t === p) counts.tp[t]!++;
  }
  return counts;
}

/** Counts tp / predicted / support for classes 0…n-1 from an n×n confusion matrix. */
export function countsFromConfusion(cm: readonly (readonly number[])[]): ClassCounts {
  const counts = emptyCounts(cm.map((_, i) => i));
  cm.forEach((row, i) => {
    row.forEach((n, j) => {
      counts.support[i]! += n;
      counts.predicted[j]! += n;
      if (i === j) counts.tp[i]! += n;
    });
  });
  return counts;
}

function emptyCounts(labels: number[]): ClassCounts {
  const zeros = () => new Array<number>(labels.length).fill(0);
  return { labels, tp: zeros(), predicted: zeros(), support: zeros() };
}

/** Keeps the counts of `labels` (which must be among `counts.labels`), in that order. */
export function selectCounts(counts: ClassCounts, labels: number[]): ClassCounts {
  const pick = (values: number[]) => labels.map((l) => values[counts.labels.indexOf(l)] ?? 0);
  return { labels, tp: pick(counts.tp), predicted: pick(counts.predicted), support: pick(counts.support) };
}

export interface PrecisionRecallF1Options {
  /** How per-class scores are combined; default 'binary' (sklearn's default). */
  average?: Average;
  /** The positive class when `average` is 'binary'; default 1. */
  posLabel?: number;
  /** The score of a class whose ratio is 0/0 (e.g. precision of a class never predicted); default 0. */
  zeroDivision?: 0 | 1;
  /** The classes to score, in order (not with 'binary'); default the sorted labels of yTrue and yPred. */
  labels?: ArrayLike<number>;
}

/** Averaged scores; `support` is the number of true samples of the scored classes. */
export interface PrecisionRecallF1 {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

/** Per-class scores (`average: 'none'`), aligned with `labels`. */
export interface PerClassPrecisionRecallF1 {
  labels: number[];
  precision: number[];
  recall: number[];
  f1: number[];
  support: number[];
}

/** Precision, recall, F1 and support as sklearn `precision_recall_fscore_support`. */
export function precisionRecallF1(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  options: PrecisionRecallF1Options & { average: 'none' },
): PerClassPrecisionRecallF1;
export function precisionRecallF1(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  options?: PrecisionRecallF1Options & { average?: Exclude<Average, 'none'> },
): PrecisionRecallF1;
export function precisionRecallF1(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  options?: PrecisionRecallF1Options,
): PrecisionRecallF1 | PerClassPrecisionRecallF1;
export function precisionRecallF1(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  options: PrecisionRecallF1Options = {},
): PrecisionRecallF1 | PerClassPrecisionRecallF1 {
  checkLabelPair('yTrue', yTrue, 'yPred', yPred);
  const { average = 'binary', posLabel = 1, zeroDivision = 0 } = options;
  checkAverage(average);
  checkZeroDivision(zeroDivision);
  let labels: number[];
  if (average === 'binary') {
    if (options.labels !== undefined) {
      throw new OptionsError(
        `labels is not used with average 'binary'; received labels [${Array.from(options.labels).join(', ')}]. ` +
          "Pass posLabel instead, or choose average 'macro', 'micro', 'weighted' or 'none'.",
      );
    }
    labels = [binaryPosLabel(sortedUnique(yTrue, yPred), posLabel)];
  } else {
    labels = options.labels === undefined ? sortedUnique(yTrue, yPred) : checkedLabels(options.labels, yTrue);
  }
  return scoresFromCounts(countLabels(yTrue, yPred, labels), average, zeroDivision);
}

/** sklearn's checks for average 'binary': at most two classes, and posLabel among them. */
export function binaryPosLabel(present: number[], posLabel: number): number {
  if (present.length > 2) {
    throw new OptionsError(
      `average 'binary' needs at most 2 classes; received ${present.length} ([${present.join(', ')}]). ` +
        "Choose average 'macro', 'micro', 'weighted' or 'none'.",
    );
  }
  if (present.length === 2 && !present.includes(posLabel)) {
    throw new OptionsError(
      `posLabel ${posLabel} is not a present label; expected one of [${present.join(', ')}].`,
    );
  }
  return posLabel;
}

function checkAverage(average: Average): void {
  if (!AVERAGES.includes(average)) {
    throw new OptionsError(`average must be one of ${AVERAGES.join(', ')}; received ${String(average)}.`);
  }
}

function checkZeroDivision(zeroDivision: number): void {
  if (zeroDivision !== 0 && zeroDivision !== 1) {
    throw new OptionsError(`zeroDivision must be 0 or 1; received ${zeroDivision}.`);
  }
}

const ratio = (num: number, den: number, zeroDivision: number) => (den === 0 ? zeroDivision : num / den);
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

/** Precision / recall / F1 from per-class counts, combined as `average` says. */
export function scoresFromCounts(
  counts: ClassCounts,
  average: Average,
  zeroDivision: 0 | 1,
): PrecisionRecallF1 | PerClassPrecisionRecallF1 {
  if (average === 'micro') return microScores(counts, zeroDivision);
  const perClass = perClassScores(counts, zeroDivision);
  if (average === 'none') return perClass;
  if (average === 'binary') {
    const at0 = (values: number[]) => values[0] ?? zeroDivision;
    return {
      precision: at0(perClass.precision),
      recall: at0(perClass.recall),
      f1: at0(perClass.f1),
      support: at0(perClass.support),
    };
  }
  return average === 'macro' ? macroScores(perClass) : weightedScores(counts, perClass, zeroDivision);
}

function perClassScores(counts: ClassCounts, zeroDivision: number): PerClassPrecisionRecallF1 {
  const { labels, tp, predicted, support } = counts;
  return {
    labels,
    precision: tp.map((t, i) => ratio(t, predicted[i]!, zeroDivision)),
    recall: tp.map((t, i) => ratio(t, support[i]!, zeroDivision)),
    f1: tp.map((t, i) => ratio(2 * t, predicted[i]! + support[i]!, zeroDivision)),
    support: [...support],
  };
}

function microScores(counts: ClassCounts, zeroDivision: number): PrecisionRecallF1 {
  const tp = sum(counts.tp);
  const predicted = sum(counts.predicted);
  const support = sum(counts.support);
  return {
    precision: ratio(tp, predicted, zeroDivision),
    recall: ratio(tp, support, zeroDivision),
    f1: ratio(2 * tp, predicted + support, zeroDivision),
    support,
  };
}

function macroScores(perClass: PerClassPrecisionRecallF1): PrecisionRecallF1 {
  const mean = (values: number[]) => sum(values) / values.length;
  return {
    precision: mean(perClass.precision),
    recall: mean(perClass.recall),
    f1: mean(perClass.f1),
    support: sum(perClass.support),
  };
}

function weightedScores(
  counts: ClassCounts,
  perClass: PerClassPrecisionRecallF1,
  zeroDivision: number,
): PrecisionRecallF1 {
  const total = sum(counts.support);
  if (total === 0) {
    // sklearn: no true sample of any scored class.
    const anyPredicted = sum(counts.predicted) > 0;
    const other = anyPredicted ? 0 : zeroDivision;
    return { precision: other, recall: zeroDivision, f1: other, support: 0 };
  }
  const weighted = (values: number[]) => sum(values.map((v, i) => v * counts.support[i]!)) / total;
  return {
    precision: weighted(perClass.precision),
    recall: weighted(perClass.recall),
    f1: weighted(perClass.f1),
    support: total,
  };
}
