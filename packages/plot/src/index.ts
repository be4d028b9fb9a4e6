/**
 * Plots as SVG strings and PNG files, with no browser: a generic line / scatter chart (linear or
 * log axes), training curves, ROC and precision-recall curves and confusion matrices.
 *
 *   writeFigure(plotTrainingCurves(history, { x: 'epoch' }), 'runs/mlp/curves');  // .png + .svg
 */
export type { PlotAxes, PlotBox } from './axes.js';
export { type Bar, type BarChartOptions, barChart } from './bar-chart.js';
export {
  type ConfusionMatrixLayout,
  type ConfusionMatrixPlotOptions,
  confusionMatrixLayout,
  normalizeConfusion,
  plotConfusionMatrix,
} from './confusion-matrix-plot.js';
export type { LegendLocation } from './legend.js';
export {
  type LineChartOptions,
  type LineSeries,
  layoutLineChart,
  lineChart,
  linePanel,
} from './line-chart.js';
export { blues, seriesColor, TAB10 } from './palette.js';
export { PlotError } from './plot-error.js';
export {
  type PrecisionRecallPlotOptions,
  type PrecisionRecallPoints,
  plotPrecisionRecall,
  plotRoc,
  type RocPlotOptions,
  type RocPoints,
} from './roc-plot.js';
export {
  type AxisScale,
  type AxisScaleOptions,
  createScale,
  linearTicks,
  logTicks,
  niceDomain,
  niceStep,
} from './scale.js';
export { escapeXml, svgDocument } from './svg.js';
export { IGNORED_CURVE_KEYS, plotTrainingCurves, type TrainingCurvesOptions } from './training-curves.js';
export { type FigureFile, figureFiles, type PngOptions, svgToPng, writeFigure } from './write-figure.js';
