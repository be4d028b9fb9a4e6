/**
 * The classification report of scikit-learn: precision, recall, F1 and support per class, plus
 * accuracy and the macro and weighted averages, as data and as sklearn's text table.
 *
 *   const report = classificationReport([0, 1, 2, 2], [0, 2, 2, 2], { targetNames: ['a', 'b', 'c'] });
 *   report.macroAvg.f1;                              // 0.6
 *   console.log(formatClassificationReport(report)); // the sklearn table
 */
import { OptionsError } from '@dlpipe/core';
import { accuracy, type PrecisionRecallF1, precisionRecallF1 } from './classification.js';

export interface ClassificationReportOptions {
  /** The classes to report, in order; default the sorted labels of yTrue and yPred. */
  labels?: ArrayLike<number>;
  /** A display name per reported class, aligned with the labels; default the label itself. */
  targetNames?: readonly string[];
  /** The score of a class whose ratio is 0/0; default 0. */
  zeroDivision?: 0 | 1;
}

/** One class of the report. */
export interface ClassReportRow extends PrecisionRecallF1 {
  label: number;
  name: string;
}

export interface ClassificationReport {
  classes: ClassReportRow[];
  /** Accuracy over all samples. */
  accuracy: number;
  /** Micro average over the reported classes (equals accuracy when every class is reported). */
  microAvg: PrecisionRecallF1;
  macroAvg: PrecisionRecallF1;
  weightedAvg: PrecisionRecallF1;
}

/** Builds the report (sklearn `classification_report(..., output_dict=True)`). */
export function classificationReport(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  options: ClassificationReportOptions = {},
): ClassificationReport {
  const { zeroDivision = 0 } = options;
  const base = { zeroDivision, ...(options.labels === undefined ? {} : { labels: options.labels }) };
  const perClass = precisionRecallF1(yTrue, yPred, { ...base, average: 'none' });
  const names = options.targetNames;
  if (names !== undefined && names.length !== perClass.labels.length) {
    throw new OptionsError(
      `targetNames has ${names.length} names for ${perClass.labels.length} classes ` +
        `[${perClass.labels.join(', ')}]; expected one name per class.`,
    );
  }
  const classes = perClass.labels.map((label, i) => ({
    label,
    name: names?.[i] ?? String(label),
    precision: perClass.precision[i]!,
    recall: perClass.recall[i]!,
    f1: perClass.f1[i]!,
    support: perClass.support[i]!,
  }));
  return {
    classes,
    accuracy: accuracy(yTrue, yPred),
    microAvg: precisionRecallF1(yTrue, yPred, { ...base, average: 'micro' }),
    macroAvg: precisionRecallF1(yTrue, yPred, { ...base, average: 'macro' }),
    weightedAvg: precisionRecallF1(yTrue, yPred, { ...base, average: 'weighted' }),
  };
}

export interface FormatReportOptions {
  /** Decimal places of the scores; default 2 (sklearn `digits`). */
  digits?: number;
}

/** The report as sklearn's text table (same layout; JS rounds halves up where Python rounds to even). */
export function formatClassificationReport(
  report: ClassificationReport,
  options: FormatReportOptions = {},
): string {
  const { digits = 2 } = options;
  const width = Math.max(...report.classes.map((c) => c.name.length), 'weighted avg'.length, digits);
  const line = (name: string, cells: string[]) =>
    `${name.padStart(width)} ${cells.map((c) => ` ${c.padStart(9)}`).join('')}\n`;
  const score = (v: number) => v.toFixed(digits);
  const row = (name: string, r: PrecisionRecallF1) =>
    line(name, [score(r.precision), score(r.recall), score(r.f1), String(r.support)]);
  const total = String(report.weightedAvg.support);
  return [
    line('', ['precision', 'recall', 'f1-score', 'support']).trimEnd(),
    '\n\n',
    ...report.classes.map((c) => row(c.name, c)),
    '\n',
    line('accuracy', ['', '', score(report.accuracy), total]),
    row('macro avg', report.macroAvg),
    row('weighted avg', report.weightedAvg),
  ].join('');
}
