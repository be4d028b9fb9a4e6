/**
 * dlpipe's one training loop, for Layers models (`layersTask`) and custom step-function models
 * alike: mini-batch SGD with any optimizer and LR schedule, gradient clipping by global norm,
 * gradient accumulation, streaming metrics, validation, callbacks (early stopping), history as
 * JSONL, checkpoints every N steps and `resume` after a crash on the same loss curve.
 *
 *   const result = await fit(layersTask(net), train, {
 *     epochs: 10, optimizer: { name: 'sgd', lr: 0.1 }, metrics: ['accuracy'],
 *     validation: test, runDir: 'runs/lenet', checkpointEvery: 100, resume: true,
 *   });
 */
import { join } from 'node:path';
import { getRngState, ProgressBar, type ProgressBarOptions, Rng, setRngState, setSeed } from '@dlpipe/core';
import { tf } from '@dlpipe/engine';
import { NonFiniteLossError } from '../errors.js';
import { createMetric, type StreamingMetric } from '../metrics/index.js';
import { clipByGlobalNorm, type NamedGrads } from '../optim/clip.js';
import { createOptimizer, type OptimizerOptions, setLearningRate } from '../optim/create-optimizer.js';
import type { LrSchedule } from '../optim/schedules.js';
import { latestCheckpoint, readCheckpoint, writeCheckpoint } from './checkpoint.js';
import { disposeBatch } from './data-source.js';
import { evaluate, toLossOutput } from './evaluate.js';
import { HistoryLog } from './history.js';
import type { Callback, CallbackContext, DataSource, HistoryRecord, TrainTask } from './types.js';

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

interface LoopState {
  epoch: number;
  stepInEpoch: number;
  globalStep: number;
  dataSeed: number;
}

function epochRng(dataSeed: number, epoch: number): Rng {
  return new Rng((dataSeed ^ Math.imul(epoch + 1, 0x9e3779b1)) >>> 0);
}

/** Gradients of one micro-batch, with predictions kept for metrics. */
function microStep<B>(task: TrainTask<B>, batch: B, vars: tf.Variable[]) {
  const kept: { yHat?: tf.Tensor; y?: tf.Tensor } = {};
  const { value, grads } = tf.variableGrads(() => {
    const out = toLossOutput(task.loss(batch, { training: true }));
    if (out.yHat && out.y) {
      kept.yHat = tf.keep(out.yHat);
      kept.y = tf.keep(out.y);
    }
    return out.loss;
  }, vars);
  const loss = value.dataSync()[0]!;
  value.dispose();
  return { loss, grads: grads as NamedGrads, ...kept };
}

function addInto(acc: NamedGrads | undefined, grads: NamedGrads): NamedGrads {
  if (!acc) return grads;
  const out: NamedGrads = {};
  for (const k of Object.keys(grads)) out[k] = tf.add(acc[k]!, grads[k]!);
  tf.dispose([...Object.values(acc), ...Object.values(grads)]);
  return out;
}

export async function fit<B>(
  task: TrainTask<B>,
  train: DataSource<B>,
  options: FitOptions<B>,
): Promise<FitResult> {
  const t0 = performance.now();
  const optimizer =
    options.optimizer instanceof tf.Optimizer ? options.optimizer : createOptimizer(options.optimizer);
  const metrics = (options.metrics ?? []).map((m) => createMetric(m));
  const callbacks = options.callbacks ?? [];
  const accumulate = Math.max(1, Math.floor(options.accumulate ?? 1));
  const logEvery = options.logEvery ?? 10;
  const runDir = options.runDir;
  const history = new HistoryLog(runDir ? join(runDir, 'history.jsonl') : undefined);
  const state: LoopState = { epoch: 0, stepInEpoch: 0, globalStep: 0, dataSeed: options.seed ?? 0 };
  let resumedFrom: string | undefined;

  const ckptDir = options.resume && runDir ? latestCheckpoint(runDir) : undefined;
  if (ckptDir) {
    const meta = await readCheckpoint(ckptDir, task.stateTensors(), optimizer);
    Object.assign(state, {
      epoch: meta.epoch,
      stepInEpoch: meta.stepInEpoch,
      globalStep: meta.globalStep,
      dataSeed: (meta as unknown as { dataSeed: number }).dataSeed,
    });
    setRngState(meta.rng);
    callbacks.forEach((c, i) => {
      c.setState?.(meta.callbacks[i]);
    });
    history.restore(meta.globalStep, meta.epoch);
    resumedFrom = ckptDir;
  } else {
    if (options.seed !== undefined) setSeed(options.seed);
    else state.dataSeed = Math.floor(Math.random() * 2 ** 31);
    if (runDir) history.restore(-1, 0); // a fresh run starts a fresh history
  }

  const ctx: CallbackContext = { epoch: state.epoch, step: state.globalStep, stop: false };
  for (const c of callbacks) await c.onTrainBegin?.(ctx);

  const checkpoint = async () => {
    if (!runDir) return;
    await writeCheckpoint(
      runDir,
      task.stateTensors(),
      optimizer,
      {
        epoch: state.epoch,
        stepInEpoch: state.stepInEpoch,
        globalStep: state.globalStep,
        rng: getRngState(),
        callbacks: callbacks.map((c) => c.getState?.() ?? null),
        ...({ dataSeed: state.dataSeed } as object),
      },
      options.keepCheckpoints ?? 2,
    );
  };

  const vars = task.trainableVariables();
  const applyStep = (grads: NamedGrads, micro: number): void => {
    let g = grads;
    if (micro > 1) {
      const scaled: NamedGrads = {};
      for (const k of Object.keys(g)) scaled[k] = tf.div(g[k]!, micro);
      tf.dispose(Object.values(g));
      g = scaled;
    }
    if (options.clipNorm) {
      const r = clipByGlobalNorm(g, options.clipNorm);
      if (r.clipped) tf.dispose(Object.values(g));
      g = r.grads;
    }
    if (options.schedule) {
      setLearningRate(optimizer, options.schedule({ step: state.globalStep, epoch: state.epoch }));
    }
    optimizer.applyGradients(g);
    tf.dispose(Object.values(g));
    state.globalStep++;
  };

  const progressOpts = typeof options.progress === 'object' ? options.progress : {};
  let stopped: string | undefined;
  while (state.epoch < options.epochs && !stopped) {
    metrics.forEach((m) => {
      m.reset();
    });
    const bar = new ProgressBar({
      total: train.length,
      label: `epoch ${state.epoch + 1}/${options.epochs}`,
      unit: 'samples',
      silent: options.progress === false,
      ...progressOpts,
    });
    let skip = state.stepInEpoch;
    let acc: NamedGrads | undefined;
    let micro = 0;
    let stepLoss = 0;
    let lossSum = 0;
    let seen = 0;
    let done = 0;
    for await (const batch of train.batches(state.epoch, epochRng(state.dataSeed, state.epoch))) {
      if (skip > 0) {
        skip--;
        done++;
        disposeBatch(batch);
        bar.update(1, {}, 0);
        continue;
      }
      const n = task.batchSize?.(batch) ?? 1;
      let r: ReturnType<typeof microStep>;
      try {
        r = microStep(task, batch, vars);
      } catch (err) {
        disposeBatch(batch);
        throw err;
      }
      if (!Number.isFinite(r.loss)) {
        tf.dispose([...Object.values(r.grads), ...Object.values(acc ?? {}), r.yHat ?? [], r.y ?? []]);
        disposeBatch(batch);
        throw new NonFiniteLossError(state.epoch + 1, state.globalStep + 1, r.loss);
      }
      if (r.yHat && r.y) for (const m of metrics) m.update(r.y, r.yHat);
      tf.dispose([r.yHat ?? [], r.y ?? []]);
      disposeBatch(batch);
      acc = addInto(acc, r.grads);
      micro++;
      stepLoss += r.loss;
      lossSum += r.loss * n;
      seen += n;
      done++;
      state.stepInEpoch = done;
      const values: Record<string, number> = { loss: lossSum / seen };
      for (const m of metrics) values[m.name] = m.result();
      bar.update(1, values, n);
      if (micro === accumulate) {
        applyStep(acc, micro);
        const rec: HistoryRecord = {
          kind: 'step',
          epoch: state.epoch + 1,
          step: state.globalStep,
          loss: stepLoss / micro,
        };
        if (options.schedule) rec.lr = options.schedule({ step: state.globalStep - 1, epoch: state.epoch });
        acc = undefined;
        micro = 0;
        stepLoss = 0;
        if (logEvery > 0 && state.globalStep % logEvery === 0) history.append(rec);
        ctx.epoch = state.epoch;
        ctx.step = state.globalStep;
        for (const c of callbacks) await c.onStepEnd?.(rec, ctx);
        if (options.checkpointEvery && state.globalStep % options.checkpointEvery === 0) await checkpoint();
        if (options.maxSteps && state.globalStep >= options.maxSteps) {
          stopped = `maxSteps ${options.maxSteps} reached`;
        }
        if (ctx.stop || stopped) {
          stopped ??= ctx.reason ?? 'stopped by a callback';
          break;
        }
      }
    }
    if (acc) applyStep(acc, micro); // the epoch's last, partial accumulation
    if (stopped && state.stepInEpoch < (train.length ?? Number.POSITIVE_INFINITY)) {
      bar.done();
      break; // mid-epoch stop: no epoch record
    }
    const rec: HistoryRecord = {
      kind: 'epoch',
      epoch: state.epoch + 1,
      step: state.globalStep,
      loss: lossSum / seen,
    };
    for (const m of metrics) rec[m.name] = m.result();
    if (options.validation) {
      const val = await evaluate(task, options.validation, { metrics: options.metrics });
      for (const [k, v] of Object.entries(val)) rec[`val_${k}`] = v;
    }
    rec.seconds = (performance.now() - t0) / 1000;
    bar.done(
      Object.fromEntries(
        Object.entries(rec)
          .filter(([k]) => k.startsWith('val_'))
          .map(([k, v]) => [k, Number(v)]),
      ),
    );
    history.append(rec);
    state.epoch++;
    state.stepInEpoch = 0;
    ctx.epoch = state.epoch;
    ctx.step = state.globalStep;
    for (const c of callbacks) await c.onEpochEnd?.(rec, ctx);
    if (ctx.stop) stopped ??= ctx.reason ?? 'stopped by a callback';
    await checkpoint();
  }
  for (const c of callbacks) await c.onTrainEnd?.(ctx);
  return {
    history: history.records,
    steps: state.globalStep,
    epochs: state.epoch,
    stopped,
    seconds: (performance.now() - t0) / 1000,
    resumedFrom,
  };
}
