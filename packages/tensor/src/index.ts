/**
 * @dlpipe/tensor — the tensors of dlpipe: the TensorFlow.js API (`tf`) and backend choice
 * (re-exported from @dlpipe/engine, so domain packages import TensorFlow.js from here only), the
 * training loop, losses, metrics, initializers, optimizers and schedules, layers, save/load.
 *
 *   import { tf, initBackend, fit, layersTask, tensorDataSource } from '@dlpipe/tensor';
 */

export * from '@dlpipe/engine';
export * from './errors.js';
export * from './init/initializers.js';
export * from './io/file-io.js';
export * from './io/model-io.js';
export * from './layers/batch-norm.js';
export * from './layers/dropout.js';
export * from './layers/gru-sequence.js';
export * from './layers/layer-norm.js';
export * from './layers/lstm-sequence.js';
export * from './losses/losses.js';
export * from './metrics/index.js';
export * from './optim/adadelta.js';
export * from './optim/clip.js';
export * from './optim/create-optimizer.js';
export * from './optim/decoupled.js';
export * from './optim/schedules.js';
export * from './train/callback.js';
export * from './train/chance-level-warning.js';
export * from './train/checkpoint.js';
export * from './train/data-source.js';
export * from './train/early-stopping.js';
export * from './train/evaluate.js';
export * from './train/fit.js';
export * from './train/history.js';
export * from './train/history-logger.js';
export * from './train/layers-task.js';
export * from './train/model-checkpoint.js';
export * from './train/non-finite-loss-check.js';
export * from './train/progress-bar-logger.js';
export * from './train/train-step.js';
export * from './train/types.js';
export * from './train/validation.js';
