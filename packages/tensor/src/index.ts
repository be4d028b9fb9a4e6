/**
 * @dlpipe/tensor — the one core of dlpipe: the TensorFlow.js API (`tf`), backend choice, the
 * training loop, losses, metrics, initializers, optimizers and schedules, save/load and plots.
 */

export * from './backend.js';
export * from './errors.js';
export * from './optim/clip.js';
export * from './random.js';
export * as tf from './tf.js';
