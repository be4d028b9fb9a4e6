/**
 * The detection half of `pnpm vision train`: `--model tinyssd|yolo` trains a detector on
 * `--data` (a built-in set, a set folder or a COCO JSON file) through @dlpipe/vision's
 * `trainDetector`, with the same run layout, progress bar, checkpoints and --resume as the
 * classifiers. Settings not given are the architecture's (`DETECTOR_TRAIN_DEFAULTS`).
 *
 *   pnpm vision train --model tinyssd --data bananas --epochs 20
 */
import { ensureDir, InvalidArgumentError } from '@dlpipe/core';
import { initBackend } from '@dlpipe/tensor';
import {
  BUILTIN_DETECTION_SETS,
  DETECTOR_TRAIN_DEFAULTS,
  type DetectorArch,
  detectionDataProblem,
  detectorOptimizer,
  trainDetector,
} from '@dlpipe/vision';
import { z } from 'zod';
import { runDir } from '../args.js';

/** The `--model` names that train a detector. */
export const DETECTOR_MODELS: readonly DetectorArch[] = ['tinyssd', 'yolo'];

export function isDetectorModel(model: string): model is DetectorArch {
  return (DETECTOR_MODELS as readonly string[]).includes(model);
}

/** Flags only detectors use, added to `vision train`. */
export const detectorTrainFlags = {
  imageSize: z.coerce.number().int().positive().max(2048).optional().meta({
    description: "detectors: the square input side (tinyssd: a multiple of 64; default: the model's, 256)",
  }),
};

/** The `vision train` values the detection half reads. */
export interface TrainDetectorValues {
  model: string;
  data?: string | undefined;
  dataset?: string | undefined;
  testData?: string | undefined;
  resize?: number | undefined;
  channels?: 1 | 3 | undefined;
  augment: boolean;
  limit: number;
  batch?: number | undefined;
  seed: number;
  name?: string | undefined;
  runs: string;
  epochs?: number | undefined;
  lr?: number | undefined;
  optimizer?: 'sgd' | 'momentum' | 'adam' | 'adamw' | undefined;
  resume: boolean;
  checkpointEvery: number;
  deterministic: boolean;
  imageSize?: number | undefined;
}

/** Classification flags a detector run would silently ignore: refused instead. */
function unusedFlags(o: TrainDetectorValues): string[] {
  const given: [string, boolean][] = [
    ['--dataset', o.dataset !== undefined],
    ['--test-data', o.testData !== undefined],
    ['--resize (use --image-size)', o.resize !== undefined],
    ['--channels', o.channels !== undefined],
    ['--limit', o.limit > 0],
  ];
  return given.filter(([, g]) => g).map(([f]) => f);
}

/** Trains a detector as `vision train --model tinyssd|yolo` asks; the command's output. */
export async function runTrainDetector(o: TrainDetectorValues & { model: DetectorArch }) {
  const unused = unusedFlags(o);
  if (unused.length > 0) {
    throw new InvalidArgumentError(
      `--model ${o.model} trains a detector: ${unused.join(', ')} not used; drop them`,
    );
  }
  if (o.data === undefined) {
    throw new InvalidArgumentError(
      `--model ${o.model} needs --data: a built-in set (${BUILTIN_DETECTION_SETS.join(', ')}), a set folder or a COCO JSON file`,
    );
  }
  const problem = detectionDataProblem(o.data);
  if (problem) throw new InvalidArgumentError(`--data ${problem}`);
  const dir = runDir(o, o.model);
  ensureDir(dir, 'run folder');
  const backend = await initBackend({ deterministic: o.deterministic });
  const d = DETECTOR_TRAIN_DEFAULTS[o.model];
  const base = d.optimizer;
  const weightDecay = 'weightDecay' in base && typeof base.weightDecay === 'number' ? base.weightDecay : 0;
  const optimizer = o.optimizer
    ? detectorOptimizer(o.optimizer, o.lr ?? base.lr, weightDecay)
    : { ...base, ...(o.lr ? { lr: o.lr } : {}) };
  const r = await trainDetector({
    model: o.model,
    data: o.data,
    runDir: dir,
    ...(o.imageSize ? { imageSize: o.imageSize } : {}),
    ...(o.epochs ? { epochs: o.epochs } : {}),
    ...(o.batch ? { batchSize: o.batch } : {}),
    optimizer,
    // --augment turns random flips on (YOLO flips by default, TinySSD trains as d2l: none).
    ...(o.augment ? { augment: true } : {}),
    seed: o.seed,
    resume: o.resume,
    checkpointEvery: o.checkpointEvery,
    extra: {
      command: 'train',
      backend: { name: backend.name, threads: backend.threads, deterministic: o.deterministic },
    },
  });
  r.detector.dispose();
  const perEpoch = r.seconds / Math.max(1, r.history.filter((h) => h.kind === 'epoch').length);
  return {
    lines: [
      `${o.model} on ${o.data}: val AP ${r.stats.AP.toFixed(4)}, AP50 ${r.stats.AP50.toFixed(4)} after ${r.epochs} epochs of ` +
        `${optimizer.name} at lr ${optimizer.lr} (${perEpoch.toFixed(1)} s/epoch)`,
      ...r.files,
    ],
    data: {
      model: o.model,
      data: o.data,
      epochs: r.epochs,
      optimizer,
      val: r.stats,
      files: r.files,
    },
  };
}
