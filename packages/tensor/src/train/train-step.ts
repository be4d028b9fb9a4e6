/**
 * One optimizer step of `fit`, split in micro-batches: each `forward` takes a batch's gradients
 * (under the tape, its tensors disposed) and adds them up; `step` averages them, clips them by
 * global norm, sets the scheduled learning rate and applies them. Streaming metrics and the
 * epoch's running loss are kept here too, as they come from the same forward pass.
 *
 *   const s = new TrainStep(task, optimizer, { accumulate: 2, clipNorm: 1 });
 *   s.forward(batch, 0); s.forward(batch2, 1); if (s.ready) s.step(position);
 */
import { tf } from '@dlpipe/engine';
import { createMetric, type StreamingMetric } from '../metrics/index.js';
import { clipByGlobalNorm, type NamedGrads } from '../optim/clip.js';
import { setLearningRate } from '../optim/create-optimizer.js';
import type { LrSchedule } from '../optim/schedules.js';
import type { BatchLogs, LoopPosition } from './callback.js';
import { disposeBatch } from './data-source.js';
import { toLossOutput } from './evaluate.js';
import type { HistoryRecord, TrainTask } from './types.js';

export interface TrainStepOptions {
  /** Micro-batches whose gradients are averaged into one optimizer step. Default 1. */
  accumulate?: number;
  /** Clip gradients to this global L2 norm. Default: no clipping. */
  clipNorm?: number;
  /** Learning rate per step; default: the optimizer's own, constant. */
  schedule?: LrSchedule;
  /** Streaming metrics on the training batches, e.g. ['accuracy']. */
  metrics?: Array<string | StreamingMetric>;
}

/** What a checkpoint keeps of an epoch in progress. */
export interface EpochProgress {
  lossSum: number;
  seen: number;
  metrics: unknown[];
}

export class TrainStep<B> {
  private readonly vars: tf.Variable[];
  private readonly metrics: StreamingMetric[];
  private readonly accumulate: number;
  /** Summed gradients of the micro-batches since the last step. */
  private acc: NamedGrads | undefined;
  private micro = 0;
  private stepLoss = 0;
  private lossSum = 0;
  private seen = 0;

  constructor(
    private readonly task: TrainTask<B>,
    private readonly optimizer: tf.Optimizer,
    private readonly o: TrainStepOptions = {},
  ) {
    this.vars = task.trainableVariables();
    this.metrics = (o.metrics ?? []).map((m) => createMetric(m));
    this.accumulate = Math.max(1, Math.floor(o.accumulate ?? 1));
  }

  /** True when enough micro-batches are in for an optimizer step. */
  get ready(): boolean {
    return this.micro >= this.accumulate;
  }

  /** True when gradients wait for a step (the epoch's last, partial accumulation). */
  get pending(): boolean {
    return this.acc !== undefined;
  }

  /** The epoch's running loss and metrics, for a checkpoint. */
  getState(): EpochProgress {
    return {
      lossSum: this.lossSum,
      seen: this.seen,
      metrics: this.metrics.map((m) => m.getState?.() ?? null),
    };
  }

  /** Restores what `getState` gave (a mid-epoch resume); a state of another shape is ignored. */
  setState(state: unknown): void {
    const s = state as Partial<EpochProgress> | null;
    if (typeof s?.lossSum !== 'number' || typeof s.seen !== 'number' || !Array.isArray(s.metrics)) return;
    this.lossSum = s.lossSum;
    this.seen = s.seen;
    this.metrics.forEach((m, i) => {
      if (s.metrics?.[i] != null) m.setState?.(s.metrics[i]);
    });
  }

  /** Starts an epoch: metrics and the running loss from zero. */
  beginEpoch(): void {
    for (const m of this.metrics) m.reset();
    this.lossSum = 0;
    this.seen = 0;
  }

  /** Gradients of batch `index` of the epoch, added to the accumulation; its tensors are disposed. */
  forward(batch: B, index: number): BatchLogs {
    const n = this.task.batchSize?.(batch) ?? 1;
    let loss: number;
    let grads: NamedGrads;
    try {
      ({ loss, grads } = this.gradients(batch));
    } finally {
      disposeBatch(batch);
    }
    this.acc = addInto(this.acc, grads);
    this.micro++;
    this.stepLoss += loss;
    this.lossSum += loss * n;
    this.seen += n;
    const running: Record<string, number> = { loss: this.lossSum / this.seen };
    for (const m of this.metrics) running[m.name] = m.result();
    return { batch: index, size: n, loss, running };
  }

  /** Applies the accumulated gradients and advances `position.globalStep`; returns the step's record. */
  step(position: LoopPosition): HistoryRecord {
    const record: HistoryRecord = {
      kind: 'step',
      epoch: position.epoch + 1,
      step: position.globalStep + 1,
      loss: this.stepLoss / this.micro,
    };
    if (this.o.schedule) record.lr = this.o.schedule({ step: position.globalStep, epoch: position.epoch });
    this.apply(position);
    return record;
  }

  /** Applies a partial accumulation (no record), as at the end of an epoch. */
  flush(position: LoopPosition): void {
    if (this.acc) this.apply(position);
  }

  /** Drops accumulated gradients (after an error). */
  discard(): void {
    tf.dispose(Object.values(this.acc ?? {}));
    this.acc = undefined;
    this.micro = 0;
    this.stepLoss = 0;
  }

  /** The epoch's record: mean loss over its examples and each metric. */
  epochRecord(position: LoopPosition): HistoryRecord {
    const record: HistoryRecord = {
      kind: 'epoch',
      epoch: position.epoch + 1,
      step: position.globalStep,
      loss: this.lossSum / this.seen,
    };
    for (const m of this.metrics) record[m.name] = m.result();
    return record;
  }

  /** Loss and gradients of one batch under the tape; metrics see its predictions. */
  private gradients(batch: B): { loss: number; grads: NamedGrads } {
    let yHat: tf.Tensor | undefined;
    let y: tf.Tensor | undefined;
    const { value, grads } = tf.variableGrads(() => {
      const out = toLossOutput(this.task.loss(batch, { training: true }));
      if (out.yHat && out.y) {
        yHat = tf.keep(out.yHat);
        y = tf.keep(out.y);
      }
      return out.loss;
    }, this.vars);
    try {
      if (yHat && y) for (const m of this.metrics) m.update(y, yHat);
      return { loss: value.dataSync()[0]!, grads };
    } catch (err) {
      tf.dispose(Object.values(grads));
      throw err;
    } finally {
      tf.dispose([value, yHat ?? [], y ?? []]);
    }
  }

  /** Averages, clips and applies the accumulated gradients (intermediates tidied), then frees them. */
  private apply(position: LoopPosition): void {
    const acc = this.acc ?? {};
    tf.tidy(() => {
      let g = acc;
      if (this.micro > 1) g = mapGrads(g, (t) => tf.div(t, this.micro));
      if (this.o.clipNorm) g = clipByGlobalNorm(g, this.o.clipNorm).grads;
      if (this.o.schedule) {
        setLearningRate(
          this.optimizer,
          this.o.schedule({ step: position.globalStep, epoch: position.epoch }),
        );
      }
      this.optimizer.applyGradients(g);
    });
    tf.dispose(Object.values(acc));
    this.acc = undefined;
    this.micro = 0;
    this.stepLoss = 0;
    position.globalStep++;
  }
}

function mapGrads(grads: NamedGrads, fn: (t: tf.Tensor) => tf.Tensor): NamedGrads {
  const out: NamedGrads = {};
  for (const k of Object.keys(grads)) out[k] = fn(grads[k]!);
  return out;
}

function addInto(acc: NamedGrads | undefined, grads: NamedGrads): NamedGrads {
  if (!acc) return grads;
  const out: NamedGrads = {};
  for (const k of Object.keys(grads)) out[k] = tf.add(acc[k]!, grads[k]!);
  tf.dispose([...Object.values(acc), ...Object.values(grads)]);
  return out;
}
