/**
 * `pnpm vision train`: trains a zoo model on an MNIST-format set or an ImageFolder/manifest and
 * writes the run (metrics.json, curves, confusion matrix, misclassified grid, checkpoints, model).
 *
 *   pnpm vision train --model resnet18 --dataset fashion-mnist --epochs 10 --resize 96 --batch 128 --lr 0.01
 */
import { defineCommand } from '@dlpipe/core';
import { initBackend } from '@dlpipe/tensor';
import { createModel, loadClassificationData, MODELS, trainClassifier } from '@dlpipe/vision';
import { z } from 'zod';
import { dataFlags, dataOptions, OPTIMIZERS, optimizerOf, runDir, runFlags } from '../args.js';

export const train = defineCommand({
  summary: 'train a zoo model (checkpoints, --resume, reports under runs/<name>/)',
  description: `Trains a zoo model (\`pnpm vision models\`) and writes runs/<name or model>/: metrics.json,
curves.png, confusion-matrix.png, misclassified.png, history.jsonl, checkpoints/ and model/.
--data without --test-data holds out 20% (stratified, seeded); --augment adds random resized
crops and flips.`,
  flags: {
    ...dataFlags,
    ...runFlags,
    epochs: z.coerce
      .number()
      .int()
      .positive()
      .default(10)
      .meta({ description: 'passes over the training set' }),
    lr: z.coerce.number().positive().default(0.1).meta({ description: 'learning rate' }),
    optimizer: z
      .enum(OPTIMIZERS)
      .default('sgd')
      .meta({ description: 'the optimizer (momentum: SGD with 0.9)' }),
    resume: z.boolean().default(false).meta({ description: "continue from the run's latest checkpoint" }),
    checkpointEvery: z.coerce
      .number()
      .int()
      .min(0)
      .default(0)
      .meta({ description: 'also checkpoint every N steps (0: at epoch ends only)' }),
  },
  examples: [
    'pnpm vision train --model lenet --dataset fashion-mnist --epochs 10 --lr 0.9',
    'pnpm vision train --model resnet18 --data photos/ --resize 96 --augment --optimizer adam --lr 0.001',
  ],
  json: true,
  async run(o) {
    const entry = Object.hasOwn(MODELS, o.model) ? MODELS[o.model] : undefined;
    if (!entry) createModel(o.model); // the zoo's unknown-model error, before any image is read
    await initBackend();
    const d = await loadClassificationData(
      dataOptions(o, {
        size: entry ? [entry.defaultInput[0], entry.defaultInput[1]] : [28, 28],
        channels: (entry?.defaultInput[2] ?? 1) === 3 ? 3 : 1,
      }),
    );
    const r = await trainClassifier({
      model: createModel(o.model, { inputShape: d.inputShape, numClasses: d.classNames.length }),
      train: d.train,
      test: d.test,
      classNames: d.classNames,
      epochs: o.epochs,
      optimizer: optimizerOf(o.optimizer, o.lr),
      runDir: runDir(o, o.model),
      seed: o.seed,
      resume: o.resume,
      checkpointEvery: o.checkpointEvery,
      extra: { dataset: d.name, command: 'train', classNames: d.classNames },
    });
    return {
      lines: [
        `${o.model} on ${d.name}: test accuracy ${r.testAccuracy.toFixed(4)} (${r.secondsPerEpoch.toFixed(1)} s/epoch)`,
        ...r.files,
      ],
      data: {
        model: o.model,
        dataset: d.name,
        testAccuracy: r.testAccuracy,
        secondsPerEpoch: r.secondsPerEpoch,
        files: r.files,
      },
    };
  },
});
