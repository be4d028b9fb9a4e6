/**
 * ROC and precision-recall curves, sklearn-display style: the curve with its AUC / AP in the
 * legend, the chance level dashed in gray, both axes fixed to [0, 1].
 *
 *   const { fpr, tpr } = rocCurve(yTrue, scores);          // any arrays of equal length
 *   writeFigure(plotRoc({ fpr, tpr }, { auc: 0.91 }), 'runs/clf/roc.png');
 *   writeFigure(plotPrecisionRecall({ precision, recall }, { ap: 0.84, chanceLevel: 0.3 }), 'runs/clf/pr.svg');
 */
import { type LineSeries, lineChart } from './line-chart.js';
import { PlotError } from './plot-error.js';

const CHANCE_COLOR = '#7f7f7f';
const UNIT = [0, 1] as const;

/** Points of a ROC curve, e.g. from a metrics function. */
export interface RocPoints {
  fpr: ArrayLike<number>;
  tpr: ArrayLike<number>;
}

export interface RocPlotOptions {
  /** Area under the curve, shown in the legend. Default: not shown. */
  auc?: number;
  /** Figure title. Default: 'ROC curve'. */
  title?: string;
  /** The curve's legend name. Default: 'ROC'. */
  name?: string;
  /** Figure width in px. Default: 480. */
  width?: number;
  /** Figure height in px. Default: 460. */
  height?: number;
}

function withScore(name: string, label: string, score: number | undefined): string {
  return score === undefined ? name : `${name} (${label} = ${score.toFixed(3)})`;
}

function checkPair(what: string, a: ArrayLike<number>, b: ArrayLike<number>, names: string): void {
  if (a.length !== b.length) {
    throw new PlotError(`${what} needs ${names} of equal length, got ${a.length} and ${b.length}.`);
  }
}

/** The dashed gray chance line from (0, y0) to (1, y1). */
function chanceLine(name: string, y0: number, y1: number): LineSeries {
  return { name, x: [0, 1], y: [y0, y1], color: CHANCE_COLOR, dashed: true, lineWidth: 1.5 };
}

/** Labels of a unit-square chart; `title` is the default the options may override. */
interface UnitSquareLabels {
  title: string;
  xLabel: string;
  yLabel: string;
}

/** A chart with both axes fixed to [0, 1], 480 × 460 px unless the options say otherwise. */
function unitSquareChart(
  series: LineSeries[],
  labels: UnitSquareLabels,
  options: { title?: string; width?: number; height?: number },
): string {
  return lineChart({
    series,
    ...labels,
    title: options.title ?? labels.title,
    xDomain: UNIT,
    yDomain: UNIT,
    width: options.width ?? 480,
    height: options.height ?? 460,
  });
}

/** A ROC curve (true vs false positive rate) with the chance diagonal, as SVG. */
export function plotRoc(curve: RocPoints, options: RocPlotOptions = {}): string {
  checkPair('plotRoc', curve.fpr, curve.tpr, 'fpr and tpr');
  const series: LineSeries[] = [
    {
      name: withScore(options.name ?? 'ROC', 'AUC', options.auc),
      x: Array.from(curve.fpr),
      y: Array.from(curve.tpr),
    },
    chanceLine('Chance level (AUC = 0.5)', 0, 1),
  ];
  const labels = { title: 'ROC curve', xLabel: 'False positive rate', yLabel: 'True positive rate' };
  return unitSquareChart(series, labels, options);
}

/** Points of a precision-recall curve. */
export interface PrecisionRecallPoints {
  precision: ArrayLike<number>;
  recall: ArrayLike<number>;
}

export interface PrecisionRecallPlotOptions {
  /** Average precision, shown in the legend. Default: not shown. */
  ap?: number;
  /** Share of positives: a dashed chance line at this precision. Default: none. */
  chanceLevel?: number;
  /** Figure title. Default: 'Precision-recall curve'. */
  title?: string;
  /** The curve's legend name. Default: 'PR'. */
  name?: string;
  /** Figure width in px. Default: 480. */
  width?: number;
  /** Figure height in px. Default: 460. */
  height?: number;
}

/** A precision-recall curve (precision vs recall), optionally with the chance level, as SVG. */
export function plotPrecisionRecall(
  curve: PrecisionRecallPoints,
  options: PrecisionRecallPlotOptions = {},
): string {
  checkPair('plotPrecisionRecall', curve.recall, curve.precision, 'recall and precision');
  const series: LineSeries[] = [
    {
      name: withScore(options.name ?? 'PR', 'AP', options.ap),
      x: Array.from(curve.recall),
      y: Array.from(curve.precision),
    },
  ];
  const p = options.chanceLevel;
  if (p !== undefined) series.push(chanceLine(`Chance level (AP = ${p.toFixed(2)})`, p, p));
  const labels = { title: 'Precision-recall curve', xLabel: 'Recall', yLabel: 'Precision' };
  return unitSquareChart(series, labels, options);
}
