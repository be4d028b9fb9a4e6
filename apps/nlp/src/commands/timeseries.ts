/**
 * `pnpm nlp timeseries [--csv FILE --column NAME [--time-column NAME]] [--tau 4] [--epochs 5]
 * [--steps 1,4,16,64] [--seed 42] [--out runs/timeseries] [--json]`: d2l §9.1's autoregressive
 * MLP on the noisy sine (or a CSV column), its one-step, multistep and k-step-ahead forecasts:
 * predictions.png, k-step.png, loss.png and metrics.json. See packages/nlp/docs/sequence-models.md.
 *
 *   pnpm nlp timeseries
 *   # 1-step MSE: train 0.0517, test 0.0562 …
 *   pnpm nlp timeseries --csv sales.csv --column units --time-column date --steps 1,7,28
 */
import { checkInputFile, defineCommand, ensureDir, OptionsError } from '@dlpipe/core';
import { checkForecast, forecastSeries, readSeriesCsv, sineSeries, type TimeSeries } from '@dlpipe/nlp';
import { initBackend } from '@dlpipe/tensor';
import { z } from 'zod';

const flags = {
  csv: z.string().optional().meta({
    placeholder: 'FILE',
    description: "a CSV table (any compression) holding the series; default: d2l's noisy sine",
  }),
  column: z
    .string()
    .optional()
    .meta({ placeholder: 'NAME', description: 'with --csv: the column to forecast' }),
  timeColumn: z.string().optional().meta({
    placeholder: 'NAME',
    description: 'with --csv: a time/order column (numbers or dates) to sort rows by; default: file order',
  }),
  tau: z.coerce
    .number()
    .int()
    .min(1)
    .default(4)
    .meta({ description: 'lags: the model sees the tau values before each step' }),
  epochs: z.coerce
    .number()
    .int()
    .min(1)
    .default(5)
    .meta({ description: 'training epochs (Adam lr 0.01, batch 16)' }),
  steps: z.string().default('1,4,16,64').meta({
    placeholder: 'K,K,…',
    description: 'the horizons k of the k-step-ahead predictions, comma-separated',
  }),
  seed: z.coerce
    .number()
    .int()
    .default(42)
    .meta({ description: 'seed of the sine, the weights and the data order' }),
  out: z
    .string()
    .default('runs/timeseries')
    .meta({ placeholder: 'DIR', description: 'where the figures and metrics.json go' }),
};

/** '1,4,16,64' → [1, 4, 16, 64]; anything else is an OptionsError naming --steps. */
export function parseSteps(text: string): number[] {
  const parts = text.split(',').map((s) => s.trim());
  const steps = parts.map(Number);
  if (parts.some((s) => !/^\d+$/.test(s)) || steps.some((k) => !(k >= 1))) {
    throw new OptionsError(
      `--steps '${text}': expected integers ≥ 1 separated by commas, e.g. --steps 1,4,16,64`,
    );
  }
  return steps;
}

async function loadSeries(o: {
  csv?: string;
  column?: string;
  timeColumn?: string;
  seed: number;
}): Promise<TimeSeries> {
  if (o.csv === undefined) {
    if (o.column !== undefined || o.timeColumn !== undefined) {
      throw new OptionsError(
        '--column and --time-column name columns of --csv FILE: give --csv too, or drop them',
      );
    }
    return sineSeries({ seed: o.seed });
  }
  checkInputFile(o.csv, 'series CSV (--csv)');
  if (o.column === undefined) {
    throw new OptionsError(`--csv ${o.csv} needs --column NAME: the column of the file to forecast`);
  }
  return readSeriesCsv(o.csv, {
    column: o.column,
    ...(o.timeColumn !== undefined && { timeColumn: o.timeColumn }),
  });
}

const fmt = (v: number) => Number(v.toPrecision(3));

export const timeseries = defineCommand({
  summary: 'forecast a series with an autoregressive MLP: 1-step vs k-step-ahead (d2l §9.1)',
  description:
    "Trains d2l's autoregressive MLP (tau lags → 10 ReLU units → 1) on the first 60% of the examples of\n" +
    "d2l's noisy sine, x_t = sin(0.01 t) + N(0, 0.2²), T = 1000, or of a CSV column (standardized on the\n" +
    'training part; errors in the series units), and writes predictions.png (1-step and multistep),\n' +
    'k-step.png, loss.png and metrics.json (1-step train/test MSE, multistep MSE, each k-step MSE).',
  flags,
  examples: [
    'pnpm nlp timeseries',
    'pnpm nlp timeseries --tau 8 --steps 1,2,4,8,16 --out runs/ts-tau8',
    'pnpm nlp timeseries --csv sales.csv --column units --time-column date --json',
  ],
  json: true,
  async run(o) {
    const steps = parseSteps(o.steps);
    const series = await loadSeries(o);
    const options = {
      tau: o.tau,
      numEpochs: o.epochs,
      steps,
      seed: o.seed,
      standardize: o.csv !== undefined,
      out: o.out,
    };
    checkForecast(series, options); // a too-short series fails before the folder is made
    ensureDir(o.out, 'output folder (--out)');
    await initBackend();
    const { metrics: m, files } = await forecastSeries(series, options);
    const kStep = Object.entries(m.kStep).map(([k, v]) => `${k}: ${fmt(v)}`);
    return {
      lines: [
        `${m.series}: T = ${m.T}, tau = ${m.tau}, ${m.nTrain} training examples, ${m.numEpochs} epochs (final loss ${fmt(m.trainLosses.at(-1)!)})`,
        `1-step MSE: train ${fmt(m.oneStep.trainMse)}, test ${fmt(m.oneStep.testMse)}`,
        `k-step MSE: ${kStep.join(', ')}`,
        `multistep MSE from example ${m.multistep.start} on: ${fmt(m.multistep.testMse)}`,
        `wrote ${files.join(', ')}`,
      ],
      data: { ...m, files },
    };
  },
});
