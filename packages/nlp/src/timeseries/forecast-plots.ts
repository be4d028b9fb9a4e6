/**
 * The figures of d2l §9.1 as SVG strings (PNG through @dlpipe/plot's `writeFigure`): the series
 * with its one-step and multistep predictions, and the k-step-ahead predictions for each k.
 *
 *   writeFigure(plotPredictions(series, { oneStep, multistep, tau: 4 }), 'runs/timeseries/predictions.png');
 *   writeFigure(plotKStep(series, kStep), 'runs/timeseries/k-step.png');
 */
import { type LineSeries, lineChart } from '@dlpipe/plot';
import type { KStepForecast } from './forecast.js';
import type { TimeSeries } from './sine-series.js';

export interface PredictionsPlotInput {
  /** One-step-ahead predictions of x[τ:]. */
  oneStep?: readonly number[];
  /** Multistep predictions, as long as the series (observed values first). */
  multistep?: readonly number[];
  /** Where the multistep predictions start (index in the series). */
  multistepStart?: number;
  /** The number of lags. */
  tau: number;
}

const axes = (s: TimeSeries) => ({
  xLabel: s.timeLabel ?? 'time',
  yLabel: s.name ?? 'x',
  legend: 'best' as const,
});

/** The observed series, its 1-step-ahead and its multistep predictions (d2l's figures). */
export function plotPredictions(series: TimeSeries, p: PredictionsPlotInput): string {
  const lines: LineSeries[] = [{ name: 'data', x: series.time, y: series.x, lineWidth: 1.2 }];
  if (p.oneStep)
    lines.push({ name: '1-step preds', x: series.time.slice(p.tau), y: p.oneStep, dashed: true });
  if (p.multistep) {
    const start = p.multistepStart ?? 0;
    lines.push({
      name: 'multistep preds',
      x: series.time.slice(start),
      y: p.multistep.slice(start),
      dashed: true,
    });
  }
  return lineChart({ title: 'Predictions', ...axes(series), series: lines });
}

/** The k-step-ahead predictions for each k (d2l's last figure of §9.1). */
export function plotKStep(series: TimeSeries, kStep: readonly KStepForecast[]): string {
  return lineChart({
    title: 'k-step-ahead predictions',
    ...axes(series),
    series: kStep.map((f) => ({
      name: `${f.k}-step preds`,
      x: series.time.slice(f.start, f.start + f.yHat.length),
      y: f.yHat,
      lineWidth: 1.5,
    })),
  });
}

/** The training loss of each epoch. */
export function plotSeriesLoss(losses: readonly number[]): string {
  return lineChart({
    title: 'Training loss',
    xLabel: 'epoch',
    yLabel: 'MSE',
    legend: false,
    series: [{ name: 'train loss', y: losses, mode: 'line+markers' }],
  });
}
