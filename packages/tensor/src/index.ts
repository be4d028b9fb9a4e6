/**
 * @dlpipe/tensor — the one core of dlpipe: the TensorFlow.js API (`tf`), backend choice, the
 * training loop, losses, metrics, initializers, optimizers and schedules, save/load and plots.
 *
 *   import { tf, initBackend, fit, layersTask, tensorDataSource } from '@dlpipe/tensor';
 */

export * from './backend.js';
export * from './cli/command-args.js';
export * from './cli/run-cli.js';
export * from './errors.js';
export * from './init/initializers.js';
export * from './io/file-io.js';
export * from './io/model-io.js';
export * from './layers/batch-norm.js';
export * from './layers/dropout.js';
export * from './losses/losses.js';
export * from './metrics/index.js';
export * from './optim/adadelta.js';
export * from './optim/adam-update.js';
export * from './optim/clip.js';
export * from './optim/create-optimizer.js';
export * from './optim/decoupled.js';
export * from './optim/schedules.js';
export * from './optim/sgd-update.js';
export * from './plots/index.js';
export * from './random.js';
export * as tf from './tf.js';
export * from './train/checkpoint.js';
export * from './train/data-source.js';
export * from './train/early-stopping.js';
export * from './train/evaluate.js';
export * from './train/fit.js';
export * from './train/history.js';
export * from './train/layers-task.js';
export * from './train/progress.js';
export * from './train/types.js';
