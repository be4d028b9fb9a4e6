/**
 * dlpipe's one training loop, for Layers models (`layersTask`) and custom step-function models
 * alike: mini-batch SGD with any optimizer and LR schedule, gradient clipping by global norm,
 * gradient accumulation and streaming metrics. Everything else is a callback (callback.ts):
 * validation, the non-finite loss check, history as JSONL, the progress bar, early stopping,
 * checkpoints every N steps and `resume` after a crash on the same loss curve, and yours.
 *
 *   const result = await fit(layersTask(net), train, {
 *     epochs: 10, optimizer: { name: 'sgd', lr: 0.1 }, metrics: ['accuracy'],
 *     validation: test, runDir: 'runs/lenet', checkpointEvery: 100, resume: true,
 *     callbacks: [new EarlyStopping({ monitor: 'val_loss', patience: 3 })],
 *   });
 */
import { join } from 'node:path';
import { type ProgressBarOptions, Rng, setSeed } from '@dlpipe/core';
import { tf } from '@dlpipe/engine';
import type { StreamingMetric } from '../metrics/index.js';
import { createOptimizer, type OptimizerOptions } from '../optim/create-optimizer.js';
import type { LrSchedule } from '../optim/schedules.js';
import { type Callback, CallbackList, type FitRun } from './callback.js';
import { disposeBatch } from './data-source.js';
import { HistoryLogger } from './history-logger.js';
import { ModelCheckpoint } from './model-checkpoint.js';
import { NonFiniteLossCheck } from './non-finite-loss-check.js';
import { ProgressBarLogger } from './progress-bar-logger.js';
import { TrainStep } from './train-step.js';
import type { DataSource, HistoryRecord, TrainTask } from './types.js';
import { Validation } from './validation.js';

export interface FitOptions<B> {
  /** Epochs to train (in all, counting those before a resume). */
  epochs: number;
  /** An optimizer or options for `createOptimizer`. */
  optimizer: tf.Optimizer | OptimizerOptions;
  /** Learning rate per step; default: the optimizer's own, constant. */
  schedule?: LrSchedule;
  /** Clip gradients to this global L2 norm. Default: no clipping. */
  clipNorm?: number;
  /** Micro-batches whose gradients are averaged into one optimizer step. Default 1. */
  accumulate?: number;
  /** Streaming metrics on train (and validation) batches, e.g. ['accuracy']. */
  metrics?: Array<string | StreamingMetric>;
  /** Evaluated at the end of each epoch; keys are prefixed `val_`. */
  validation?: DataSource<B>;
  /**
   * Your callbacks, called after the loss check and validation (so `val_*` keys are in the record)
   * and before history.jsonl, the progress bar and checkpoints (so keys you add are logged and shown).
   */
  callbacks?: Callback[];
  /** Where history.jsonl and checkpoints/ go. Default: nothing written. */
  runDir?: string;
  /** Checkpoint every N optimizer steps (and at each epoch end). Default 0: epoch ends only. */
  checkpointEvery?: number;
  /** Checkpoints kept. Default 2. */
  keepCheckpoints?: number;
  /** Continue from runDir's latest checkpoint if there is one. Default false. */
  resume?: boolean;
  /** Seeds the global RNG (init, dropout) and the data order. Default: random, saved in checkpoints. */
  seed?: number;
  /** A 'step' history record every N optimizer steps. Default 10. */
  logEvery?: number;
  /** Progress bar options, or false for none. Default: a bar on stderr. */
  progress?: boolean | ProgressBarOptions;
  /** Stop after this many optimizer steps in all (tests, smoke runs). Default: no limit. */
  maxSteps?: number;
}

export interface FitResult {
  history: HistoryRecord[];
  /** Optimizer steps in all. */
  steps: number;
  /** Completed epochs in all. */
  epochs: number;
  /** Why training ended early, if it did. */
  stopped?: string;
  /** Wall time of this call. */
  seconds: number;
  resumedFrom?: string;
}

/** Trains `task` on `train` for `options.epochs` epochs; see the file header. */
export async function fit<B>(
  task: TrainTask<B>,
  train: DataSource<B>,
  options: FitOptions<B>,
): Promise<FitResult> {
  const run = startRun(task, train, options);
  const history = new HistoryLogger({
    path: options.runDir ? join(options.runDir, 'history.jsonl') : undefined,
    logEvery: options.logEvery,
  });
  const step = new TrainStep(task, run.optimizer, options);
  const checkpoint = checkpointOf(options, step);
  const resumedFrom = options.resume ? await checkpoint?.restore(run) : undefined;
  if (!resumedFrom) seedRun(run, options.seed);
  const callbacks = new CallbackList(
    [
      ...checksAndValidation(options),
      ...(options.callbacks ?? []),
      ...loggers(options, history),
      ...(checkpoint ? [checkpoint] : []),
    ],
    run,
  );
  const pos = run.position;
  let stopped: string | undefined;
  await callbacks.trainBegin();
  while (pos.epoch < options.epochs && !stopped) {
    await callbacks.epochBegin();
    stopped = await trainEpoch(run, step, callbacks, options.maxSteps);
    if (stopped && pos.stepInEpoch < (train.length ?? Number.POSITIVE_INFINITY)) break; // mid-epoch: no record
    const record = step.epochRecord(pos);
    pos.epoch++;
    pos.stepInEpoch = 0;
    await callbacks.epochEnd(record);
    stopped ??= callbacks.stopReason();
  }
  await callbacks.trainEnd();
  const seconds = (performance.now() - run.startedAt) / 1000;
  return {
    history: history.records,
    steps: pos.globalStep,
    epochs: pos.epoch,
    stopped,
    seconds,
    resumedFrom,
  };
}

/** One epoch's batches (skipping those a resume already trained); returns why training stops, if it does. */
async function trainEpoch<B>(
  run: FitRun<B>,
  step: TrainStep<B>,
  callbacks: CallbackList,
  maxSteps: number | undefined,
): Promise<string | undefined> {
  const pos = run.position;
  const batches = run.train.batches(pos.epoch, epochRng(pos.dataSeed, pos.epoch));
  let skip = pos.stepInEpoch;
  if (skip === 0) step.beginEpoch(); // mid-epoch after a resume: the running loss and metrics were restored
  try {
    for await (const batch of batches) {
      if (skip > 0) {
        skip--;
        disposeBatch(batch);
        continue;
      }
      const logs = step.forward(batch, pos.stepInEpoch++);
      await callbacks.batchEnd(logs);
      if (!step.ready) continue;
      await callbacks.stepEnd(step.step(pos));
      if (maxSteps && pos.globalStep >= maxSteps) return `maxSteps ${maxSteps} reached`;
      if (callbacks.stopReason()) return callbacks.stopReason();
    }
  } catch (err) {
    step.discard();
    throw err;
  }
  step.flush(pos); // the epoch's last, partial accumulation
  return undefined;
}

/** The optimizer, the loop position and the clock of a run. */
function startRun<B>(task: TrainTask<B>, train: DataSource<B>, options: FitOptions<B>): FitRun<B> {
  const optimizer =
    options.optimizer instanceof tf.Optimizer ? options.optimizer : createOptimizer(options.optimizer);
  const position = { epoch: 0, stepInEpoch: 0, globalStep: 0, dataSeed: options.seed ?? 0 };
  return { task, train, optimizer, epochs: options.epochs, position, startedAt: performance.now() };
}

/** A fresh run: seeds the global RNG (init, dropout) and the data order, or draws a data seed. */
function seedRun(run: FitRun, seed: number | undefined): void {
  if (seed !== undefined) setSeed(seed);
  else run.position.dataSeed = Math.floor(Math.random() * 2 ** 31);
}

/** fit's own callbacks whose hooks run before the user's: the loss check, then validation. */
function checksAndValidation<B>(options: FitOptions<B>): Callback[] {
  const out: Callback[] = [new NonFiniteLossCheck()];
  if (options.validation) out.push(new Validation(options.validation, { metrics: options.metrics }));
  // user callbacks see the time so far; history.jsonl re-stamps it after them (their work included)
  out.push({
    onEpochEnd: (record, ctx) => {
      record.seconds = (performance.now() - ctx.run.startedAt) / 1000;
    },
  });
  return out;
}

/** History and the progress bar run after the user's callbacks, so keys those add are logged and shown. */
function loggers<B>(options: FitOptions<B>, history: HistoryLogger): Callback[] {
  const out: Callback[] = [history];
  if (options.progress !== false) {
    out.push(new ProgressBarLogger(typeof options.progress === 'object' ? options.progress : {}));
  }
  return out;
}

function checkpointOf<B>(options: FitOptions<B>, progress: TrainStep<B>): ModelCheckpoint | undefined {
  if (!options.runDir) return undefined;
  return new ModelCheckpoint({
    runDir: options.runDir,
    progress,
    every: options.checkpointEvery,
    keep: options.keepCheckpoints,
    stateful: options.callbacks,
  });
}

function epochRng(dataSeed: number, epoch: number): Rng {
  return new Rng((dataSeed ^ Math.imul(epoch + 1, 0x9e3779b1)) >>> 0);
}
