/**
 * `pnpm vision train`: trains a zoo model on an MNIST-format set or an ImageFolder/manifest and
 * writes the run (metrics.json, curves, confusion matrix, misclassified grid, checkpoints, model).
 *
 *   pnpm vision train --model resnet18 --dataset fashion-mnist --epochs 10 --resize 96 --batch 128 --lr 0.01
 */
import { createModel, MODELS, trainClassifier } from '@dlpipe/vision';
import { z } from 'zod';
import {
  DATA_OPTIONS,
  dataFields,
  dataOptions,
  OPTIMIZERS,
  optimizerOf,
  RUN_OPTIONS,
  runDir,
  runFields,
  visionCommand,
} from '../args.js';
import { loadData } from '../data.js';

const USAGE = `usage: pnpm vision train --model lenet --dataset fashion-mnist|mnist|DIR | --data FOLDER|MANIFEST
         [--test-data FOLDER|MANIFEST] [--epochs 10] [--batch 128] [--lr 0.1] [--optimizer sgd|momentum|adam|adamw]
         [--resize 96] [--channels 1|3] [--augment] [--limit N] [--name RUN] [--runs runs]
         [--resume] [--checkpoint-every N] [--seed 42]

Trains a zoo model (\`pnpm vision models\`) and writes runs/<name or model>/: metrics.json,
curves.png, confusion-matrix.png, misclassified.png, history.jsonl, checkpoints/ and model/.
--data without --test-data holds out 20% (seeded); --augment adds random resized crops and flips.`;

const schema = z.object({
  _: z.tuple([]),
  ...dataFields,
  ...runFields,
  epochs: z.coerce.number().int().positive().default(10),
  lr: z.coerce.number().positive().default(0.1),
  optimizer: z.enum(OPTIMIZERS).default('sgd'),
  resume: z.boolean().default(false),
  'checkpoint-every': z.coerce.number().int().min(0).default(0),
});

export const train = visionCommand({
  summary: 'train a zoo model (checkpoints, --resume, reports under runs/<name>/)',
  usage: USAGE,
  options: {
    ...DATA_OPTIONS,
    ...RUN_OPTIONS,
    epochs: { type: 'string' },
    lr: { type: 'string' },
    optimizer: { type: 'string' },
    resume: { type: 'boolean' },
    'checkpoint-every': { type: 'string' },
  },
  schema,
  async run(o) {
    const entry = Object.hasOwn(MODELS, o.model) ? MODELS[o.model] : undefined;
    if (!entry) createModel(o.model); // the zoo's unknown-model error, before any image is read
    const d = await loadData(dataOptions(o), {
      size: entry ? [entry.defaultInput[0], entry.defaultInput[1]] : [28, 28],
      channels: (entry?.defaultInput[2] ?? 1) === 3 ? 3 : 1,
    });
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
      checkpointEvery: o['checkpoint-every'],
      extra: { dataset: d.name, command: 'train', classNames: d.classNames },
    });
    return [
      `${o.model} on ${d.name}: test accuracy ${r.testAccuracy.toFixed(4)} (${r.secondsPerEpoch.toFixed(1)} s/epoch)`,
      ...r.files,
    ];
  },
});
