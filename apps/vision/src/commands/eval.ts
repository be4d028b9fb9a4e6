/**
 * `pnpm vision eval --name RUN`: evaluates runs/RUN/model on the test split of the same data
 * options, writing metrics.json and the plots to runs/RUN/eval/.
 *
 *   pnpm vision eval --name lenet --dataset fashion-mnist
 */
import { defineCommand } from '@dlpipe/core';
import { initBackend } from '@dlpipe/tensor';
import { loadClassificationData, loadTrainedRun, modelInput, writeClassifierReport } from '@dlpipe/vision';
import { dataFlags, dataOptions, runDir, runFlags } from '../args.js';

export const evaluate = defineCommand({
  summary: 'evaluate a trained run on a test split (reports under runs/<name>/eval/)',
  description: `Evaluates runs/RUN/model (RUN: --name, default --model) on the test split of the data
options given (resized to the model's input) and writes runs/RUN/eval/ (metrics.json, confusion
matrix, misclassified grid).`,
  flags: { ...dataFlags, ...runFlags },
  examples: ['pnpm vision eval --name lenet --dataset fashion-mnist'],
  json: true,
  async run(o) {
    await initBackend();
    const { net, dir } = await loadTrainedRun(runDir(o, o.model));
    const input = modelInput(net);
    const d = await loadClassificationData({
      ...dataOptions({ ...o, resize: input.size[0] }, input),
      augment: false,
    });
    const r = await writeClassifierReport(net, d.test, { classNames: d.classNames, runDir: `${dir}/eval` });
    return {
      lines: [`test accuracy ${r.accuracy.toFixed(4)}, macro F1 ${r.macroF1.toFixed(4)}`, ...r.files],
      data: { accuracy: r.accuracy, macroF1: r.macroF1, files: r.files },
    };
  },
});
