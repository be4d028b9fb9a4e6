/**
 * `pnpm vision eval --name RUN`: evaluates runs/RUN/model on the test split of the same data
 * options, writing metrics.json and the plots to runs/RUN/eval/.
 *
 *   pnpm vision eval --name lenet --dataset fashion-mnist
 */
import { writeClassifierReport } from '@dlpipe/vision';
import { z } from 'zod';
import { DATA_OPTIONS, dataFields, dataOptions, RUN_OPTIONS, runFields, visionCommand } from '../args.js';
import { loadData } from '../data.js';
import { inputOf, loadRun } from '../run-model.js';

const USAGE = `usage: pnpm vision eval --name RUN [--runs runs] [--dataset …|--data … --test-data …] [--limit N]

Evaluates runs/RUN/model (default RUN: --model) on the test split of the data options given
(resized to the model's input) and writes runs/RUN/eval/ (metrics.json, confusion matrix,
misclassified grid).`;

export const evaluate = visionCommand({
  summary: 'evaluate a trained run on a test split (reports under runs/<name>/eval/)',
  usage: USAGE,
  options: { ...DATA_OPTIONS, ...RUN_OPTIONS },
  schema: z.object({ _: z.tuple([]), ...dataFields, ...runFields }),
  async run(o) {
    const { net, dir } = await loadRun(o);
    const input = inputOf(net);
    const d = await loadData({ ...dataOptions(o), resize: input.size[0], augment: false }, input);
    const r = await writeClassifierReport(net, d.test, { classNames: d.classNames, runDir: `${dir}/eval` });
    return [`test accuracy ${r.accuracy.toFixed(4)}, macro F1 ${r.macroF1.toFixed(4)}`, ...r.files];
  },
});
