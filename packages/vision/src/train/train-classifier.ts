/**
 * Trains a zoo (or any Layers) classifier with @dlpipe/tensor's `fit` (checkpoints and resume
 * come from it) and writes the run's report.
 *
 *   const r = await trainClassifier({ model: 'lenet', train, test, classNames, epochs: 10, optimizer: { name: 'sgd', lr: 0.9 }, runDir: 'runs/lenet' });
 */
import { join } from 'node:path';
import { setSeed } from '@dlpipe/core';
import {
  type DataSource,
  fit,
  type HistoryRecord,
  layersTask,
  type OptimizerOptions,
  saveModel,
  tensorDataSource,
  type tf,
  type XYBatch,
} from '@dlpipe/tensor';
import { checkInput, countParameters, createModel } from '../models/registry.js';
import { writeClassifierReport } from './report.js';

export interface TrainClassifierOptions {
  /** A zoo name or a built model. */
  model: string | tf.LayersModel;
  train: DataSource<XYBatch>;
  /** Test tensors (NHWC, int labels) for validation each epoch and the final report. */
  test: { x: tf.Tensor; y: tf.Tensor1D };
  classNames: string[];
  /** [h, w, c] for a zoo name. Default: from test.x. */
  inputShape?: [number, number, number];
  epochs: number;
  /** Optimizer and learning rate (default plain SGD at 0.1, `{ name: 'sgd', lr: 0.1 }`). */
  optimizer?: OptimizerOptions;
  runDir: string;
  seed?: number;
  resume?: boolean;
  checkpointEvery?: number;
  progress?: boolean;
  /** Stop after N steps (tests). */
  maxSteps?: number;
  /** Extra fields for metrics.json. */
  extra?: Record<string, unknown>;
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
  const optimizer: OptimizerOptions = o.optimizer ?? { name: 'sgd', lr: 0.1 };
  const totalSteps = (o.train.length ?? 1) * o.epochs;
  const result = await fit(layersTask(net), o.train, {
    epochs: o.epochs,
    optimizer,
    metrics: ['accuracy'],
    validation: tensorDataSource(o.test, { batchSize: 256 }),
    runDir: o.runDir,
    seed,
    logEvery: Math.max(1, Math.floor(totalSteps / 100)),
    checkpointEvery: o.checkpointEvery ?? 0,
    resume: o.resume ?? false,
    progress: o.progress ?? true,
    ...(o.maxSteps ? { maxSteps: o.maxSteps } : {}),
  });
  await saveModel(net, join(o.runDir, 'model'));
  const name = typeof o.model === 'string' ? o.model : net.name;
  const report = await writeClassifierReport(net, o.test, {
    classNames: o.classNames,
    runDir: o.runDir,
    history: result.history,
    title: name,
    extra: {
      model: { name, inputShape, params: countParameters(net) },
      settings: { epochs: o.epochs, optimizer, seed, steps: result.steps },
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
