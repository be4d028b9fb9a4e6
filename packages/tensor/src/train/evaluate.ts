/**
 * Evaluation of a task on a data source: mean loss (weighted by batch size) and metrics, with no
 * gradients and every batch tidied.
 *
 *   const { loss, accuracy } = await evaluate(task, testData, { metrics: ['accuracy'] });
 */

import { Rng } from '@dlpipe/core';
import { tf } from '@dlpipe/engine';
import { createMetric, type StreamingMetric } from '../metrics/index.js';
import { disposeBatch } from './data-source.js';
import type { DataSource, LossOutput, TrainTask } from './types.js';

export interface EvaluateOptions {
  metrics?: Array<string | StreamingMetric>;
}

export function toLossOutput(out: LossOutput | tf.Scalar): LossOutput {
  return out instanceof tf.Tensor ? { loss: out } : out;
}

export async function evaluate<B>(
  task: TrainTask<B>,
  data: DataSource<B>,
  options: EvaluateOptions = {},
): Promise<Record<string, number>> {
  const metrics = (options.metrics ?? []).map((m) => createMetric(m));
  metrics.forEach((m) => {
    m.reset();
  });
  let lossSum = 0;
  let count = 0;
  for await (const batch of data.batches(0, new Rng(0))) {
    try {
      const n = task.batchSize?.(batch) ?? 1;
      const loss = tf.tidy(() => {
        const out = toLossOutput(task.loss(batch, { training: false }));
        if (out.yHat && out.y) for (const m of metrics) m.update(out.y, out.yHat);
        return out.loss.dataSync()[0]!;
      });
      lossSum += loss * n;
      count += n;
    } finally {
      disposeBatch(batch);
    }
  }
  const result: Record<string, number> = { loss: count ? lossSum / count : Number.NaN };
  for (const m of metrics) result[m.name] = m.result();
  return result;
}
