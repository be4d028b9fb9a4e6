/**
 * Trains any registered detector (TinySSD, YOLO) with @dlpipe/tensor's `fit` — progress bar,
 * history.jsonl, checkpoints and `resume` on the same loss curve come from it — with COCO mAP on
 * the validation split every `evalEvery` epochs (`MapValidation`), and writes the run the way
 * classification runs look: runs/<name>/metrics.json (the 12 COCO numbers, per-class AP, the
 * loss), curves.png (loss and mAP), detections.png (validation images with their boxes, labels
 * and scores; ground truth dashed), checkpoints/ and model/ (the detector's `saveModel`, its
 * config carrying the class names, for `vision detect` and `vision val`). Without settings an
 * architecture trains with its own (`DETECTOR_TRAIN_DEFAULTS`; TinySSD: d2l §14.7's SGD at 0.2
 * with weight decay 5e-4, batch 32, 20 epochs, 256² images).
 *
 *   const r = await trainDetector({ model: 'tinyssd', data: 'bananas', runDir: 'runs/tinyssd' });
 *   r.stats.AP50;
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OptionsError, setSeed, zodMessage } from '@dlpipe/core';
import { writeFigure } from '@dlpipe/plot';
import {
  cosineLr,
  fit,
  type HistoryRecord,
  type LrSchedule,
  type OptimizerOptions,
  optimizerOptionsSchema,
  warmup,
} from '@dlpipe/tensor';
import { z } from 'zod';
import { DetectionError } from '../boxes/errors.js';
import type { CocoEvalResult } from '../eval/coco-evaluate.js';
import type { CocoStats } from '../eval/summarize.js';
import { createDetector, type Detection, type Detector, type DetectorArch } from '../model/detector.js';
import { plotDetectionCurves } from './detection-curves.js';
import { type DetectionImages, detectionImages, resolveDetectionData } from './detection-data.js';
import { detectionGrid, drawDetections } from './draw-detections.js';
import { evaluateDetector } from './evaluate-detector.js';
import { MapValidation } from './map-validation.js';

/** What an architecture trains with unless told otherwise. */
export interface DetectorTrainDefaults {
  imageSize: number;
  epochs: number;
  batchSize: number;
  optimizer: OptimizerOptions;
  /** Random left–right flips of the training images (`augment`). */
  augment: boolean;
  /** 'constant' (d2l) or 'cosine': linear warm-up over min(1 epoch, 300 steps), then cosine to lr/100. */
  schedule: DetectorSchedule;
}

export type DetectorSchedule = 'constant' | 'cosine';

/**
 * TinySSD: d2l §14.7.3 (`torch.optim.SGD(lr=0.2, weight_decay=5e-4)`, batch 32, 20 epochs, 256²,
 * constant rate, no augmentation; SGDW without momentum is the same update). YOLO: Ultralytics'
 * choice for short runs (AdamW at 0.002, weight decay 5e-4, batch 16, warm-up then decay, random
 * flips), 10 epochs at 256² (`pnpm bench yolo`: emoji-10 val mAP50 0.931 / mAP50-95 0.703 after
 * 2 epochs, 0.978 / 0.857 after 10).
 */
export const DETECTOR_TRAIN_DEFAULTS: Record<DetectorArch, DetectorTrainDefaults> = {
  tinyssd: {
    imageSize: 256,
    epochs: 20,
    batchSize: 32,
    optimizer: { name: 'sgdw', lr: 0.2, weightDecay: 5e-4 },
    augment: false,
    schedule: 'constant',
  },
  yolo: {
    imageSize: 256,
    epochs: 10,
    batchSize: 16,
    optimizer: { name: 'adamw', lr: 0.002, weightDecay: 5e-4 },
    augment: true,
    schedule: 'cosine',
  },
};

/** The optimizer of the CLI's `--optimizer` names with weight decay (plain SGD and momentum decay as SGDW). */
export function detectorOptimizer(
  name: 'sgd' | 'momentum' | 'adam' | 'adamw',
  lr: number,
  weightDecay: number,
): OptimizerOptions {
  if (name === 'sgd') return { name: 'sgdw', lr, weightDecay };
  if (name === 'momentum') return { name: 'sgdw', lr, momentum: 0.9, weightDecay };
  if (name === 'adamw') return { name, lr, weightDecay };
  return { name, lr };
}

const isDetector = (v: unknown): v is Detector =>
  typeof v === 'object' && v !== null && typeof (v as Detector).detect === 'function';

export const trainDetectorOptionsSchema = z
  .object({
    model: z.union([
      z.string().min(1),
      z.custom<Detector>(isDetector, 'expected an architecture name or a Detector'),
    ]),
    data: z.string().min(1),
    trainSplit: z.enum(['train', 'val']).default('train'),
    valSplit: z.enum(['train', 'val']).default('val'),
    imageSize: z.number().int().positive().max(2048).optional(),
    epochs: z.number().int().positive().optional(),
    batchSize: z.number().int().positive().optional(),
    optimizer: optimizerOptionsSchema.optional(),
    augment: z.boolean().optional(),
    schedule: z.enum(['constant', 'cosine']).optional(),
    modelConfig: z.record(z.string(), z.unknown()).optional(),
    runDir: z.string().min(1),
    seed: z.number().int().default(42),
    resume: z.boolean().default(false),
    checkpointEvery: z.number().int().min(0).default(0),
    evalEvery: z.number().int().min(0).default(1),
    progress: z.boolean().default(true),
    maxSteps: z.number().int().positive().optional(),
    previewImages: z.number().int().min(0).default(8),
    cacheDir: z.string().optional(),
    extra: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

export interface TrainDetectorOptions {
  /** An architecture ('tinyssd', 'yolo') or a built detector (its config fixes classes and size). */
  model: DetectorArch | Detector;
  /** A built-in set, a set folder (COCO or YOLO layout) or a COCO JSON file (`resolveDetectionData`). */
  data: string;
  /** Default 'train'. */
  trainSplit?: 'train' | 'val';
  /** Held-out split for val loss and mAP. Default 'val'. */
  valSplit?: 'train' | 'val';
  /** Square input side. Default: the architecture's (256), or the built detector's. */
  imageSize?: number;
  /** Default: the architecture's (TinySSD 20). */
  epochs?: number;
  /** Default: the architecture's (TinySSD 32). */
  batchSize?: number;
  /** Default: the architecture's (TinySSD: SGD at 0.2, weight decay 5e-4). */
  optimizer?: OptimizerOptions;
  /** Random left–right flips of training images. Default: the architecture's (YOLO on, TinySSD off). */
  augment?: boolean;
  /** Learning-rate schedule. Default: the architecture's (YOLO 'cosine', TinySSD 'constant'). */
  schedule?: DetectorSchedule;
  /** Architecture settings merged into the detector config. */
  modelConfig?: Record<string, unknown>;
  runDir: string;
  /** Default 42. */
  seed?: number;
  /** Continue from the run's latest checkpoint. Default false. */
  resume?: boolean;
  /** Also checkpoint every N steps. Default 0: epoch ends only. */
  checkpointEvery?: number;
  /** mAP every N epochs (0: at the end only). Default 1. */
  evalEvery?: number;
  /** Progress bar on stderr. Default true. */
  progress?: boolean;
  /** Stop after N steps (tests, smoke runs). */
  maxSteps?: number;
  /** Validation images in detections.png. Default 8. */
  previewImages?: number;
  /** Where built-in sets are generated. Default: the dlpipe cache. */
  cacheDir?: string;
  /** Extra fields for metrics.json. */
  extra?: Record<string, unknown>;
}

export interface TrainDetectorResult {
  detector: Detector;
  classNames: string[];
  /** The 12 COCO numbers on the validation split after training. */
  stats: CocoStats;
  evaluation: CocoEvalResult;
  history: HistoryRecord[];
  epochs: number;
  steps: number;
  optimizer: OptimizerOptions;
  seconds: number;
  files: string[];
}

function defaultsOf(model: string | Detector): DetectorTrainDefaults {
  const arch = typeof model === 'string' ? model : model.config.arch;
  return DETECTOR_TRAIN_DEFAULTS[arch as DetectorArch] ?? DETECTOR_TRAIN_DEFAULTS.tinyssd;
}

/** Trains and writes the run; see the file header. */
export async function trainDetector(options: TrainDetectorOptions): Promise<TrainDetectorResult> {
  const parsed = trainDetectorOptionsSchema.safeParse(options);
  if (!parsed.success) throw new OptionsError(zodMessage('trainDetector options', parsed.error));
  const o = parsed.data;
  const d = defaultsOf(o.model);
  const trainSet = await resolveDetectionData(o.data, o.trainSplit, { cacheDir: o.cacheDir });
  const valSet = await resolveDetectionData(o.data, o.valSplit, { cacheDir: o.cacheDir });
  const classNames = trainSet.classNames;
  setSeed(o.seed);
  const detector = isDetector(o.model)
    ? checkBuilt(o.model, classNames, o.imageSize)
    : createDetector({
        arch: o.model as DetectorArch,
        numClasses: classNames.length,
        imageSize: o.imageSize ?? d.imageSize,
        classNames,
        ...o.modelConfig,
      });
  const imageSize = detector.config.imageSize;
  const maxObjects = Math.max(1, ...[...trainSet.images, ...valSet.images].map((im) => im.boxes.length));
  const train = await detectionImages(trainSet, { imageSize, maxObjects });
  const val = await detectionImages(valSet, { imageSize, maxObjects });
  const epochs = o.epochs ?? d.epochs;
  const batchSize = o.batchSize ?? d.batchSize;
  const optimizer = o.optimizer ?? d.optimizer;
  const mapVal = new MapValidation(detector, val, { every: o.evalEvery || epochs });
  const augment = o.augment ?? d.augment;
  const scheduleName = o.schedule ?? d.schedule;
  const source = train.source({ batchSize, shuffle: true, flip: augment });
  const result = await fit(detector, source, {
    epochs,
    optimizer,
    ...(scheduleName === 'cosine'
      ? { schedule: warmupCosine(optimizer.lr, source.length, epochs, o.maxSteps) }
      : {}),
    validation: val.source({ batchSize }),
    runDir: o.runDir,
    seed: o.seed,
    logEvery: Math.max(1, Math.floor((source.length * epochs) / 100)),
    checkpointEvery: o.checkpointEvery,
    resume: o.resume,
    progress: o.progress,
    ...(o.maxSteps ? { maxSteps: o.maxSteps } : {}),
    callbacks: [mapVal],
  });
  await detector.saveModel(join(o.runDir, 'model'));
  const { result: evaluation, detections } = await evaluateDetector(detector, val);
  const files = [join(o.runDir, 'model')];
  const title = `${detector.config.arch} on ${o.data}`;
  mkdirSync(o.runDir, { recursive: true });
  if (result.history.some((r) => r.kind === 'epoch')) {
    files.push(...writeFigure(plotDetectionCurves(result.history, { title }), join(o.runDir, 'curves.png')));
  }
  if (o.previewImages > 0)
    files.push(await writePreview(val, detections, classNames, o.previewImages, o.runDir));
  const metrics = {
    ...o.extra,
    classNames,
    model: { arch: detector.config.arch, config: detector.config, params: countParams(detector) },
    data: { name: o.data, train: trainSet.images.length, val: valSet.images.length },
    settings: {
      epochs,
      batchSize,
      imageSize,
      optimizer,
      schedule: scheduleName,
      augment,
      seed: o.seed,
      steps: result.steps,
    },
    val: {
      images: valSet.images.length,
      ...evaluation.stats,
      perClass: evaluation.perClass.map(({ name, numGt, AP, AP50, AP75, AR100 }) => ({
        name,
        numGt,
        AP,
        AP50,
        AP75,
        AR100,
      })),
    },
    loss: lastEpoch(result.history),
    seconds: result.seconds,
    history: result.history.filter((r) => r.kind === 'epoch'),
  };
  writeFileSync(join(o.runDir, 'metrics.json'), `${JSON.stringify(metrics, null, 2)}\n`);
  files.push(join(o.runDir, 'metrics.json'), join(o.runDir, 'history.jsonl'));
  return {
    detector,
    classNames,
    stats: evaluation.stats,
    evaluation,
    history: result.history,
    epochs: result.epochs,
    steps: result.steps,
    optimizer,
    seconds: result.seconds,
    files,
  };
}

/** Linear warm-up over min(1 epoch, 300 steps), then cosine from `lr` to lr/100 at the last step. */
function warmupCosine(lr: number, stepsPerEpoch: number, epochs: number, maxSteps?: number): LrSchedule {
  const total = Math.min(stepsPerEpoch * epochs, maxSteps ?? Number.POSITIVE_INFINITY);
  const warm = Math.min(stepsPerEpoch, 300, Math.max(1, Math.floor(total / 3)));
  return warmup(cosineLr({ lr, finalLr: lr / 100, totalSteps: Math.max(1, total - warm) }), { steps: warm });
}

/** A built detector must fit the data: same number of classes (and image size when one is asked for). */
function checkBuilt(det: Detector, classNames: string[], imageSize: number | undefined): Detector {
  if (det.config.numClasses !== classNames.length) {
    throw new DetectionError(
      `the detector has ${det.config.numClasses} classes, the data ${classNames.length} (${classNames.join(', ')}); build it with numClasses: ${classNames.length}`,
    );
  }
  if (imageSize !== undefined && imageSize !== det.config.imageSize) {
    throw new DetectionError(
      `imageSize ${imageSize} was asked for, the detector takes ${det.config.imageSize}; leave imageSize out or rebuild it`,
    );
  }
  return det;
}

function countParams(det: Detector): number {
  return det.trainableVariables().reduce((s, v) => s + v.size, 0);
}

/** The last epoch's loss and validation loss. */
function lastEpoch(history: HistoryRecord[]): { loss?: number; val_loss?: number } {
  const last = history.filter((r) => r.kind === 'epoch').at(-1);
  if (!last) return {};
  return {
    loss: Number(last.loss),
    ...(last.val_loss === undefined ? {} : { val_loss: Number(last.val_loss) }),
  };
}

/** detections.png: the first `n` validation images, detections scoring ≥ 0.3 drawn over the dashed ground truth. */
async function writePreview(
  val: DetectionImages,
  detections: Detection[][],
  classNames: string[],
  n: number,
  runDir: string,
): Promise<string> {
  const S = val.imageSize;
  const tile = S * Math.max(1, Math.ceil(160 / S));
  const tiles: Buffer[] = [];
  for (let i = 0; i < Math.min(n, val.set.images.length); i++) {
    const im = val.set.images[i]!;
    const groundTruth = im.boxes.map((b) => ({
      classId: b.classId,
      box: [b.x1 / im.width, b.y1 / im.height, b.x2 / im.width, b.y2 / im.height] as [
        number,
        number,
        number,
        number,
      ],
    }));
    const dets = (detections[i] ?? []).filter((d) => d.score >= 0.3).slice(0, 5);
    tiles.push(
      await drawDetections({ data: val.pixels(i), width: S, height: S }, dets, {
        classNames,
        groundTruth,
        size: [tile, tile],
      }),
    );
  }
  const path = join(runDir, 'detections.png');
  writeFileSync(path, await detectionGrid(tiles, { columns: 4 }));
  return path;
}
