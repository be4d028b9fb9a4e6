/**
 * The contracts of dlpipe's one training loop. A model only says what it is (a `TrainTask`);
 * data comes from a `DataSource`; the loop (`fit`) owns optimization, metrics, checkpoints.
 */
import type { Rng } from '@dlpipe/core';
import type { tf } from '@dlpipe/engine';

/** What a task's loss function returns: the scalar loss, and optionally predictions for metrics. */
export interface LossOutput {
  loss: tf.Scalar;
  /** Predictions (logits/probabilities) for streaming metrics. */
  yHat?: tf.Tensor;
  /** Targets matching yHat. */
  y?: tf.Tensor;
}

/**
 * A trainable model in step-function form: seq2seq, detection, BERT and Layers models alike
 * (see `layersTask` for the adapter).
 */
export interface TrainTask<B> {
  /** Variables the optimizer updates. */
  trainableVariables(): tf.Variable[];
  /** Forward pass + loss for one batch; runs inside the loop's gradient tape and tidy. */
  loss(batch: B, ctx: { training: boolean }): LossOutput | tf.Scalar;
  /** Every tensor of the model's state (incl. non-trainable, e.g. batch-norm statistics), in a stable order. */
  stateTensors(): tf.Variable[];
  /** Number of examples in a batch (for throughput). */
  batchSize?(batch: B): number;
  /** Saves the model in its native format (e.g. a Layers model's model.json) when training ends. */
  saveModel?(dir: string): Promise<void>;
}

/** A batch with inputs and targets; any other shape works if the task understands it. */
export interface XYBatch {
  x: tf.Tensor | tf.Tensor[];
  y: tf.Tensor;
}

/** Where batches come from. Each epoch's order depends only on (seed, epoch), so a resume can skip. */
export interface DataSource<B> {
  /** Batches per epoch, when known (for progress and ETA). */
  readonly length?: number;
  /** The batches of one epoch. The loop disposes each batch's tensors after its step. */
  batches(epoch: number, rng: Rng): Iterable<B> | AsyncIterable<B>;
}

/** One line of history.jsonl. */
export interface HistoryRecord {
  kind: 'step' | 'epoch';
  epoch: number;
  step: number;
  [key: string]: number | string;
}

/** The callback contract lives in callback.ts; re-exported here for existing imports. */
export type { Callback, CallbackContext } from './callback.js';
