/**
 * `pnpm nlp attention [--seed 0] [--out runs/attention] [--json]`: Nadaraya–Watson attention
 * pooling on d2l §11.2's toy regression (50 sorted training points of y = 2 sin x + x^0.8 + ε,
 * test inputs 0, 0.1, …, 4.9): the non-parametric (Gaussian kernel) and the parametric (learned
 * width w) estimators, fit.png, their attention-weight heatmaps, loss.png and metrics.json.
 *
 *   pnpm nlp attention
 *   # non-parametric: test MSE … ; parametric: w = … , test MSE …
 */
import { join } from 'node:path';
import { defineCommand, ensureDir, setSeed, writeFileAtomicSync } from '@dlpipe/core';
import {
  NWKernelRegression,
  type NWToyData,
  nwNonParametric,
  nwToyData,
  trainNWKernelRegression,
  writeAttentionHeatmap,
} from '@dlpipe/nlp';
import { lineChart, writeFigure } from '@dlpipe/plot';
import { initBackend, tf } from '@dlpipe/tensor';
import { z } from 'zod';

const flags = {
  seed: z.coerce
    .number()
    .int()
    .default(0)
    .meta({ description: 'seed of the toy data and of the initial width w' }),
  out: z
    .string()
    .default('runs/attention')
    .meta({ placeholder: 'DIR', description: 'where the figures and metrics.json go' }),
};

const HEATMAP = { xLabel: 'Sorted training inputs', yLabel: 'Sorted testing inputs' } as const;

const mse = (yHat: readonly number[], y: readonly number[]) =>
  yHat.reduce((s, v, i) => s + (v - y[i]!) ** 2, 0) / y.length;

/** d2l's `plot_kernel_reg`: truth, the estimates, the training points. */
function fitPlot(data: NWToyData, preds: Record<string, number[]>): string {
  return lineChart({
    title: 'Nadaraya–Watson kernel regression',
    xLabel: 'x',
    yLabel: 'y',
    series: [
      { name: 'Truth', x: data.xTest, y: data.yTruth },
      ...Object.entries(preds).map(([name, y]) => ({ name, x: data.xTest, y, dashed: true })),
      { name: 'training data', x: data.xTrain, y: data.yTrain, mode: 'markers' as const, color: '#7f7f7f99' },
    ],
  });
}

/** The parametric model trained as d2l, its test estimates and attention weights. */
function parametric(data: NWToyData) {
  const net = new NWKernelRegression();
  try {
    const w0 = net.w.dataSync()[0]!;
    const { losses } = trainNWKernelRegression(net, data.xTrain, data.yTrain);
    const [yHat, weights] = tf.tidy(() => {
      const keys = tf.tensor1d(data.xTrain);
      const y = net.forward(tf.tensor1d(data.xTest), keys, tf.tensor1d(data.yTrain));
      return [Array.from(y.dataSync()), net.attentionWeights!.arraySync()] as const;
    });
    return { w0, w: net.w.dataSync()[0]!, losses, yHat, weights };
  } finally {
    net.dispose();
  }
}

export const attention = defineCommand({
  summary: 'Nadaraya–Watson attention pooling on d2l’s toy regression, with attention heatmaps',
  description:
    'd2l §11.2: estimates y = 2 sin x + x^0.8 from 50 noisy sorted samples by attention pooling, with a\n' +
    'Gaussian kernel (non-parametric) and with a learned width w (SGD lr 0.5, 5 epochs), and writes fit.png,\n' +
    'weights-nonparametric.png, weights-parametric.png, loss.png and metrics.json (test MSE of each\n' +
    'against the noise-free targets, the training losses, w).',
  flags,
  examples: ['pnpm nlp attention', 'pnpm nlp attention --seed 1 --out runs/nw --json'],
  json: true,
  async run(o) {
    ensureDir(o.out, 'output folder (--out)');
    await initBackend();
    const data = nwToyData({ seed: o.seed });
    const np = tf.tidy(() => {
      const r = nwNonParametric(data.xTest, data.xTrain, data.yTrain);
      return { yHat: Array.from(r.yHat.dataSync()), weights: r.attentionWeights.arraySync() };
    });
    setSeed(o.seed); // the initial width w ~ U(0, 1), as d2l's torch.rand
    const p = parametric(data);
    const metrics = {
      nTrain: data.xTrain.length,
      nTest: data.xTest.length,
      nonParametric: { testMse: mse(np.yHat, data.yTruth) },
      parametric: { testMse: mse(p.yHat, data.yTruth), w0: p.w0, w: p.w, losses: p.losses },
    };
    const files = [
      ...writeFigure(
        fitPlot(data, { 'Non-parametric': np.yHat, Parametric: p.yHat }),
        join(o.out, 'fit.png'),
      ),
      ...writeAttentionHeatmap(np.weights, join(o.out, 'weights-nonparametric.png'), HEATMAP),
      ...writeAttentionHeatmap(p.weights, join(o.out, 'weights-parametric.png'), HEATMAP),
      ...writeFigure(
        lineChart({
          title: 'Parametric Nadaraya–Watson: training loss',
          xLabel: 'epoch',
          yLabel: 'summed squared error',
          legend: false,
          series: [{ name: 'loss', y: p.losses, mode: 'line+markers' }],
        }),
        join(o.out, 'loss.png'),
      ),
    ];
    writeFileAtomicSync(join(o.out, 'metrics.json'), `${JSON.stringify(metrics, null, 2)}\n`);
    files.push(join(o.out, 'metrics.json'));
    const f = (v: number) => Number(v.toPrecision(3));
    return {
      lines: [
        `non-parametric: test MSE ${f(metrics.nonParametric.testMse)}`,
        `parametric: w ${f(p.w0)} → ${f(p.w)}, loss ${p.losses.map(f).join(' → ')}, test MSE ${f(metrics.parametric.testMse)}`,
        `wrote ${files.join(', ')}`,
      ],
      data: { ...metrics, files },
    };
  },
});
