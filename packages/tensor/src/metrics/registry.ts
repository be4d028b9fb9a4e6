/**
 * The streaming metrics by name, for configs and `fit({ metrics: ['accuracy', 'f1'] })`.
 *
 *   const metrics = ['accuracy', 'f1'].map((name) => createMetric(name));
 *   createMetric('f1', { average: 'weighted' });
 *   createMetric(new MeanMetric({ name: 'loss' })); // a metric object passes through
 */
import { InvalidArgumentError, OptionsError } from '@dlpipe/core';
import { type ConfusionMetricOptions, F1Metric, PrecisionMetric, RecallMetric } from './confusion-metric.js';
import {
  AccuracyMetric,
  type AccuracyMetricOptions,
  PerplexityMetric,
  type PerplexityMetricOptions,
  type StreamingMetric,
} from './streaming.js';
import { describe } from './validate.js';

/** Every streaming metric by name, each made from its own options. */
export const METRICS = {
  accuracy: (options?: AccuracyMetricOptions) => new AccuracyMetric(options),
  f1: (options?: ConfusionMetricOptions) => new F1Metric(options),
  precision: (options?: ConfusionMetricOptions) => new PrecisionMetric(options),
  recall: (options?: ConfusionMetricOptions) => new RecallMetric(options),
  perplexity: (options?: PerplexityMetricOptions) => new PerplexityMetric(options),
} satisfies Record<string, (options?: never) => StreamingMetric>;

export type MetricName = keyof typeof METRICS;

/** The options of the metric called `K`. */
export type MetricOptions<K extends MetricName> = Parameters<(typeof METRICS)[K]>[0];

/** A metric by name (with its options), or a metric object, returned as is. */
export function createMetric<K extends MetricName>(name: K, options?: MetricOptions<K>): StreamingMetric;
export function createMetric(nameOrMetric: string | StreamingMetric): StreamingMetric;
export function createMetric(nameOrMetric: string | StreamingMetric, options?: unknown): StreamingMetric {
  if (typeof nameOrMetric === 'string') {
    if (!Object.hasOwn(METRICS, nameOrMetric)) {
      throw new OptionsError(
        `unknown metric '${nameOrMetric}'; expected one of ${Object.keys(METRICS).join(', ')} ` +
          'or an object with update(), result() and reset().',
      );
    }
    const make = METRICS[nameOrMetric as MetricName] as (options?: unknown) => StreamingMetric;
    return make(options);
  }
  if (isStreamingMetric(nameOrMetric)) return nameOrMetric;
  throw new InvalidArgumentError(
    `createMetric takes a metric name or a StreamingMetric; received ${describe(nameOrMetric)}.`,
  );
}

function isStreamingMetric(value: unknown): value is StreamingMetric {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as Partial<StreamingMetric>;
  return typeof m.update === 'function' && typeof m.result === 'function' && typeof m.reset === 'function';
}
