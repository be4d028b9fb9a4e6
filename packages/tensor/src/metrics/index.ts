/**
 * Metrics of @dlpipe/tensor: scikit-learn-compatible classification and ranking metrics on plain
 * arrays, perplexity, and streaming metrics for training loops.
 *
 *   import { accuracy, rocAucScore, createMetric } from './metrics/index.js';
 *   rocAucScore([0, 1, 1], [0.2, 0.9, 0.6]); // 1
 */
export { type BinaryCurve, binaryClfCurve } from './binary-curve.js';
export * from './classification.js';
export * from './classification-report.js';
export * from './confusion-metric.js';
export * from './language.js';
export * from './ranking.js';
export * from './registry.js';
export * from './streaming.js';
export { classesOfPrediction, type TensorLabels, tensorLabels } from './tensor-labels.js';
