/**
 * d2l §9.1 end to end on any series: lag features, the autoregressive MLP trained with `fit`,
 * one-step, multistep and k-step-ahead predictions, their errors, and (with `out`) the figures
 * and metrics.json. The sine by default; a CSV column through `readSeriesCsv`.
 *
 *   const report = await forecastSeries(sineSeries({ seed: 42 }), { seed: 42, out: 'runs/timeseries' });
 *   report.metrics.oneStep.testMse;           // ≈ 0.05 (the noise variance is 0.04)
 *   report.metrics.kStep;                     // { '1': …, '4': …, '16': …, '64': … }
 */
import { join } from 'node:path';
import { ensureDir, writeFileAtomicSync } from '@dlpipe/core';
import { writeFigure } from '@dlpipe/plot';
import { z } from 'zod';
import { autoregressiveMlp, trainAutoregressive } from './autoregressive-mlp.js';
import {
  checkSteps,
  type KStepForecast,
  kStepPredictions,
  meanSquaredError,
  multistepPredictions,
  oneStepPredictions,
} from './forecast.js';
import { plotKStep, plotPredictions, plotSeriesLoss } from './forecast-plots.js';
import { checkTau, lagFeatures } from './lag-features.js';
import { checkSeries, type TimeSeries } from './sine-series.js';
import { parseSeriesOptions, TimeSeriesError } from './timeseries-error.js';

export interface ForecastSeriesOptions {
  /** Lags τ. Default 4 (d2l). */
  tau?: number;
  /** Epochs. Default 5 (d2l). */
  numEpochs?: number;
  /** Mini-batch size. Default 16 (d2l). */
  batchSize?: number;
  /** Adam's learning rate. Default 0.01 (d2l). */
  lr?: number;
  /** Training examples (the first ones). Default round(0.6 T): 600 for d2l's T = 1000. */
  nTrain?: number;
  /** Horizons k of the k-step-ahead predictions. Default [1, 4, 16, 64] (d2l). */
  steps?: number[];
  /** Seeds the weights and the data order. Default 42. */
  seed?: number;
  /** Train on (x − mean) / std of the training part, report errors in the series' units. Default false. */
  standardize?: boolean;
  /** A folder for the figures (PNG) and metrics.json. Default: nothing written. */
  out?: string;
}

const schema = z.object({
  tau: z.number().int().min(1).default(4),
  numEpochs: z.number().int().min(1).default(5),
  batchSize: z.number().int().min(1).default(16),
  lr: z.number().positive().default(0.01),
  nTrain: z.number().int().min(1).optional(),
  steps: z.array(z.number().int().min(1)).min(1).default([1, 4, 16, 64]),
  seed: z.number().int().default(42),
  standardize: z.boolean().default(false),
  out: z.string().min(1).optional(),
});

export interface ForecastMetrics {
  series: string;
  T: number;
  tau: number;
  nTrain: number;
  numEpochs: number;
  /** Mean training loss of each epoch (standardized units when `standardize`). */
  trainLosses: number[];
  /** One-step-ahead MSE on the training examples and on the rest. */
  oneStep: { trainMse: number; testMse: number };
  /** MSE of the multistep predictions (from nTrain + τ on) against the series. */
  multistep: { start: number; testMse: number };
  /** k-step-ahead MSE over every window, by k. */
  kStep: Record<string, number>;
}

export interface ForecastReport {
  metrics: ForecastMetrics;
  oneStep: number[];
  multistep: number[];
  kStep: KStepForecast[];
  /** Files written under `out`. */
  files: string[];
}

/** Mean and standard deviation of the first n values (std 1 for a constant). */
function scaler(x: readonly number[], n: number): { mean: number; std: number } {
  const head = x.slice(0, n);
  const mean = head.reduce((a, b) => a + b, 0) / head.length;
  const std = Math.sqrt(head.reduce((a, b) => a + (b - mean) ** 2, 0) / head.length);
  return { mean, std: std > 0 ? std : 1 };
}

/** Forecast options with their defaults filled in and nTrain resolved. */
export type CheckedForecastOptions = z.output<typeof schema> & { nTrain: number };

/** The options parsed and checked against the series (lags, horizons, split), before any work. */
export function checkForecast(
  series: TimeSeries,
  options: ForecastSeriesOptions = {},
): CheckedForecastOptions {
  const o = parseSeriesOptions('forecastSeries', schema, options);
  checkSeries(series);
  const T = series.x.length;
  checkTau(o.tau, T);
  checkSteps(o.steps, o.tau, T);
  const nTrain = o.nTrain ?? Math.round(0.6 * T);
  if (nTrain > T - o.tau - 1) {
    throw new TimeSeriesError(
      `nTrain = ${nTrain} leaves no test example in a series of ${T} values with tau = ${o.tau}; ` +
        `pass nTrain ≤ ${T - o.tau - 1} or a longer series.`,
    );
  }
  return { ...o, nTrain };
}

/** Trains d2l's autoregressive MLP on a series and forecasts it; see the file header. */
export async function forecastSeries(
  series: TimeSeries,
  options: ForecastSeriesOptions = {},
): Promise<ForecastReport> {
  const o = checkForecast(series, options);
  const { nTrain } = o;
  const T = series.x.length;
  const { mean, std } = o.standardize ? scaler(series.x, nTrain + o.tau) : { mean: 0, std: 1 };
  const scaled = series.x.map((v) => (v - mean) / std);
  const back = (v: number[]) => v.map((u) => u * std + mean);
  const { features, labels } = lagFeatures(scaled, o.tau);
  const net = autoregressiveMlp({ tau: o.tau, seed: o.seed });
  try {
    const { losses } = await trainAutoregressive(net, features, labels, {
      numEpochs: o.numEpochs,
      batchSize: o.batchSize,
      lr: o.lr,
      nTrain,
      seed: o.seed,
    });
    const oneStep = back(oneStepPredictions(net, scaled));
    const start = nTrain + o.tau;
    const multistep = back(multistepPredictions(net, scaled, start));
    const kStep = kStepPredictions(net, scaled, o.steps).map((f) => ({ ...f, yHat: back(f.yHat) }));
    const y = series.x.slice(o.tau);
    const metrics: ForecastMetrics = {
      series: series.name ?? 'series',
      T,
      tau: o.tau,
      nTrain,
      numEpochs: o.numEpochs,
      trainLosses: losses,
      oneStep: {
        trainMse: meanSquaredError(oneStep.slice(0, nTrain), y.slice(0, nTrain)),
        testMse: meanSquaredError(oneStep.slice(nTrain), y.slice(nTrain)),
      },
      multistep: { start, testMse: meanSquaredError(multistep.slice(start), series.x.slice(start)) },
      kStep: Object.fromEntries(
        kStep.map((f) => [
          String(f.k),
          meanSquaredError(f.yHat, series.x.slice(f.start, f.start + f.yHat.length)),
        ]),
      ),
    };
    const report = { metrics, oneStep, multistep, kStep, files: [] as string[] };
    if (o.out) report.files = writeForecastFiles(o.out, series, report, o.tau);
    return report;
  } finally {
    net.dispose();
  }
}

/** Writes predictions.png, k-step.png, loss.png and metrics.json under `out`; returns their paths. */
export function writeForecastFiles(
  out: string,
  series: TimeSeries,
  report: Omit<ForecastReport, 'files'>,
  tau: number,
): string[] {
  ensureDir(out, 'output folder');
  const { oneStep, multistep, kStep, metrics } = report;
  const files = [
    ...writeFigure(
      plotPredictions(series, { oneStep, multistep, multistepStart: metrics.multistep.start, tau }),
      join(out, 'predictions.png'),
    ),
    ...writeFigure(plotKStep(series, kStep), join(out, 'k-step.png')),
    ...writeFigure(plotSeriesLoss(metrics.trainLosses), join(out, 'loss.png')),
  ];
  writeFileAtomicSync(join(out, 'metrics.json'), `${JSON.stringify(metrics, null, 2)}\n`);
  return [...files, join(out, 'metrics.json')];
}
