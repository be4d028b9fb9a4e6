/**
 * Trains a zoo (or any Layers) classifier with @dlpipe/tensor's `fit` (checkpoints and resume
 * come from it) and writes the run's report. A zoo model trains with its own defaults (optimizer,
 * lr, epochs: `zooEntry(name).train`) unless told otherwise; a run still at chance accuracy after
 * an epoch says so on stderr (`ChanceLevelWarning`); the saved model carries the class names.
 *
 *   const r = await trainClassifier({ model: 'lenet', train, test, classNames, runDir: 'runs/lenet' });
 *   // Adam at 0.005 for 10 epochs: LeNet's defaults
 */
import { join } from 'node:path';
import { setSeed } from '@dlpipe/core';
import {
  ChanceLevelWarning,
  type DataSource,
  fit,
  type HistoryRecord,
  type LrSchedule,
  layersTask,
  type OptimizerOptions,
  saveModel,
  tensorDataSource,
  type tf,
  type XYBatch,
} from '@dlpipe/tensor';
import { checkInput, countParameters, createModel, defaultOptimizer, zooEntry } from '../models/registry.js';
import { writeClassifierReport } from './report.js';
import { setClassNames } from './trained-run.js';

export interface TrainClassifierOptions {
  /** A zoo name or a built model. */
  model: string | tf.LayersModel;
  train: DataSource<XYBatch>;
  /** Test tensors (NHWC, int labels) for validation each epoch and the final report. */
  test: { x: tf.Tensor; y: tf.Tensor1D };
  classNames: string[];
  /** [h, w, c] for a zoo name. Default: from test.x. */
  inputShape?: [number, number, number];
  /** Default: the zoo model's (10 for all of them), or 10 for a built model. */
  epochs?: number;
  /** Optimizer and learning rate. Default: the zoo model's (LeNet: Adam at 0.005), or plain SGD at 0.1 for a built model. */
  optimizer?: OptimizerOptions;
  /** A learning-rate schedule over the steps (e.g. `cosineLr`). Default: the optimizer's constant rate. */
  schedule?: LrSchedule;
  runDir: string;
  seed?: number;
  resume?: boolean;
  checkpointEvery?: number;
  progress?: boolean;
  /** Stop after N steps (tests). */
  maxSteps?: number;
  /** Extra fields for metrics.json. */
  extra?: Record<string, unknown>;
  /** Where warnings go (accuracy still at chance after an epoch). Default: stderr. */
  onWarning?: (line: string) => void;
}

export interface TrainClassifierResult {
  net: tf.LayersModel;
  testAccuracy: number;
  macroF1: number;
  history: HistoryRecord[];
  seconds: number;
  /** Mean wall time of an epoch in this call. */
  secondsPerEpoch: number;
  files: string[];
}

export async function trainClassifier(o: TrainClassifierOptions): Promise<TrainClassifierResult> {
  const seed = o.seed ?? 42;
  setSeed(seed);
  const inputShape = o.inputShape ?? (o.test.x.shape.slice(1) as [number, number, number]);
  const net =
    typeof o.model === 'string'
      ? createModel(o.model, { inputShape, numClasses: o.classNames.length })
      : o.model;
  checkInput(net, o.test.x.shape);
  const zooName = typeof o.model === 'string' ? o.model : undefined;
  const optimizer: OptimizerOptions =
    o.optimizer ?? (zooName ? defaultOptimizer(zooName) : { name: 'sgd', lr: 0.1 });
  const epochs = o.epochs ?? (zooName ? zooEntry(zooName).train.epochs : 10);
  const totalSteps = (o.train.length ?? 1) * epochs;
  const result = await fit(layersTask(net), o.train, {
    epochs,
    optimizer,
    ...(o.schedule ? { schedule: o.schedule } : {}),
    metrics: ['accuracy'],
    validation: tensorDataSource(o.test, { batchSize: 256 }),
    runDir: o.runDir,
    seed,
    logEvery: Math.max(1, Math.floor(totalSteps / 100)),
    checkpointEvery: o.checkpointEvery ?? 0,
    resume: o.resume ?? false,
    progress: o.progress ?? true,
    ...(o.maxSteps ? { maxSteps: o.maxSteps } : {}),
    callbacks: chanceWarning(o),
  });
  setClassNames(net, o.classNames);
  await saveModel(net, join(o.runDir, 'model'));
  const name = typeof o.model === 'string' ? o.model : net.name;
  const report = await writeClassifierReport(net, o.test, {
    classNames: o.classNames,
    runDir: o.runDir,
    history: result.history,
    title: name,
    extra: {
      classNames: o.classNames,
      model: { name, inputShape, params: countParameters(net) },
      settings: { epochs, optimizer, seed, steps: result.steps },
      seconds: result.seconds,
      ...o.extra,
    },
  });
  const epochsRun = Math.max(1, result.history.filter((r) => r.kind === 'epoch').length);
  return {
    net,
    testAccuracy: report.accuracy,
    macroF1: report.macroF1,
    history: result.history,
    seconds: result.seconds,
    secondsPerEpoch: result.seconds / epochsRun,
    files: [...report.files, join(o.runDir, 'model')],
  };
}

/**
 * The chance-level warning on the test accuracy, chance being the share of the most frequent test
 * class; none for fewer than two classes (nothing to be at chance with).
 */
function chanceWarning(o: TrainClassifierOptions): ChanceLevelWarning[] {
  if (o.classNames.length < 2) return [];
  const chance = ChanceLevelWarning.majorityShare(o.test.y.dataSync());
  return [new ChanceLevelWarning({ numClasses: o.classNames.length, chance, warn: o.onWarning })];
}
