/**
 * `pnpm vision train`: trains a zoo model on an MNIST-format set or an ImageFolder/manifest and
 * writes the run (metrics.json, curves, confusion matrix, misclassified grid, checkpoints, model).
 * The optimizer, learning rate and epochs are the model's own (`pnpm vision models`) unless given.
 *
 *   pnpm vision train --model resnet18 --dataset fashion-mnist --epochs 10 --resize 96 --batch 128 --lr 0.01
 */
import { defineCommand, ensureDir, OptionsError } from '@dlpipe/core';
import { initBackend } from '@dlpipe/tensor';
import { loadClassificationData, trainClassifier, zooEntry } from '@dlpipe/vision';
import { z } from 'zod';
import {
  dataFlags,
  dataOptions,
  deterministicFlag,
  OPTIMIZERS,
  optimizerOf,
  runDir,
  runFlags,
} from '../args.js';
import { detectorTrainFlags, isDetectorModel, runTrainDetector } from './train-detector.js';

export const train = defineCommand({
  summary: 'train a zoo model (checkpoints, --resume, reports under runs/<name>/)',
  description: `Trains a zoo model (\`pnpm vision models\`) and writes runs/<name or model>/: metrics.json,
curves.png, confusion-matrix.png, misclassified.png, history.jsonl, checkpoints/ and model/
(model.json carries the class names, for \`pnpm vision predict\`). --epochs, --lr and --optimizer
default to the model's own settings, shown by \`pnpm vision models\` (LeNet: Adam at 0.005 for 10
epochs). A run whose accuracy is still at chance level after an epoch says so on stderr.
--data without --test-data holds out 20% (stratified, seeded); --augment adds random resized
crops and flips.
--model tinyssd|yolo trains a detector instead: --data is then a detection set (bananas,
emoji-10, a set folder or a COCO JSON file), --image-size its input side, --augment random
left–right flips (yolo flips by default); the run gets metrics.json (COCO mAP), curves.png (loss
and mAP), detections.png, checkpoints/ and model/.`,
  flags: {
    ...dataFlags,
    batch: z.coerce
      .number()
      .int()
      .positive()
      .optional()
      .meta({ description: "batch size (default 128; detectors: the model's, 32 for tinyssd)" }),
    ...runFlags,
    epochs: z.coerce
      .number()
      .int()
      .positive()
      .optional()
      .meta({ description: "passes over the training set (default: the model's, 10 for all)" }),
    lr: z.coerce
      .number()
      .positive()
      .optional()
      .meta({ description: "learning rate (default: the model's, e.g. 0.005 for lenet)" }),
    optimizer: z
      .enum(OPTIMIZERS)
      .optional()
      .meta({ description: "the optimizer (momentum: SGD with 0.9; default: the model's)" }),
    resume: z.boolean().default(false).meta({ description: "continue from the run's latest checkpoint" }),
    checkpointEvery: z.coerce
      .number()
      .int()
      .min(0)
      .default(0)
      .meta({ description: 'also checkpoint every N steps (0: at epoch ends only)' }),
    ...deterministicFlag,
    ...detectorTrainFlags,
  },
  examples: [
    'pnpm vision train --model lenet --dataset fashion-mnist',
    'pnpm vision train --model resnet18 --data photos/ --resize 96 --augment --optimizer adam --lr 0.001',
    'pnpm vision train --model tinyssd --data bananas --epochs 20',
    'pnpm vision train --model yolo --data emoji-10',
  ],
  json: true,
  async run(o) {
    if (isDetectorModel(o.model)) return runTrainDetector({ ...o, model: o.model });
    if (o.imageSize !== undefined)
      throw new OptionsError('--image-size is for detectors (--model tinyssd|yolo); use --resize');
    const entry = zooEntry(o.model); // the zoo's unknown-model error, before any image is read
    const backend = await initBackend({ deterministic: o.deterministic });
    const d = await loadClassificationData(
      dataOptions(
        { ...o, batch: o.batch ?? 128 },
        {
          size: [entry.defaultInput[0], entry.defaultInput[1]],
          channels: entry.defaultInput[2] === 3 ? 3 : 1,
        },
      ),
    );
    ensureDir(runDir(o, o.model), 'run folder'); // an unwritable --runs fails now, not after training
    const defaults = entry.train;
    const epochs = o.epochs ?? defaults.epochs;
    const optimizer = optimizerOf(o.optimizer ?? defaults.optimizer, o.lr ?? defaults.lr);
    const r = await trainClassifier({
      model: o.model, // built by trainClassifier after seeding, so the same --seed gives the same weights
      inputShape: d.inputShape,
      train: d.train,
      test: d.test,
      classNames: d.classNames,
      epochs,
      optimizer,
      runDir: runDir(o, o.model),
      seed: o.seed,
      resume: o.resume,
      checkpointEvery: o.checkpointEvery,
      extra: {
        dataset: d.name,
        command: 'train',
        backend: { name: backend.name, threads: backend.threads, deterministic: o.deterministic },
      },
    });
    return {
      lines: [
        `${o.model} on ${d.name}: test accuracy ${r.testAccuracy.toFixed(4)} after ${epochs} epochs of ` +
          `${optimizer.name} at lr ${optimizer.lr} (${r.secondsPerEpoch.toFixed(1)} s/epoch)`,
        ...r.files,
      ],
      data: {
        model: o.model,
        dataset: d.name,
        epochs,
        optimizer,
        testAccuracy: r.testAccuracy,
        secondsPerEpoch: r.secondsPerEpoch,
        files: r.files,
      },
    };
  },
});
