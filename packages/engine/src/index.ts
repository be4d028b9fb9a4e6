/**
 * @dlpipe/engine — the TensorFlow.js runtime of dlpipe: the `tf` API (the only import of tfjs),
 * backend choice, the native oneDNN addon and its kernels, dlpipe's wasm training kernels, and the
 * fused kernels (batch norm training step, SGD and Adam updates) registered into tfjs, and the
 * native backend's dispatch counters (`dispatchCounts()`: native / fallback / cpu per kernel).
 * Packages above it import `tf` and the backend API through @dlpipe/tensor.
 *
 *   import { tf, initBackend } from '@dlpipe/engine';
 */

export * from './backend.js';
export {
  type DispatchCounts,
  diffDispatchCounts,
  dispatchCounts,
  dispatchTotals,
  FALLBACK_REASONS,
  type FallbackReason,
  type KernelDispatchCount,
  resetDispatchCounts,
} from './backends/native/dispatch-counts.js';
export {
  BATCH_NORM_TRAIN,
  BATCH_NORM_TRAIN_GRAD,
  type BatchNormTrainInputs,
  registerBatchNormTrainGrad,
} from './backends/native/kernels/batchnorm-train.js';
export { DROPOUT, registerDropoutGrad } from './backends/native/kernels/dropout.js';
export { SCALE_MANY, SUM_SQUARES } from './backends/native/kernels/fused-names.js';
export {
  GRU_SEQUENCE,
  GRU_SEQUENCE_GRAD,
  registerGruSequenceGrad,
} from './backends/native/kernels/gru-sequence.js';
export {
  LAYER_NORM,
  LAYER_NORM_GRAD,
  registerLayerNormGrad,
} from './backends/native/kernels/layer-norm.js';
export {
  LSTM_SEQUENCE,
  LSTM_SEQUENCE_GRAD,
  registerLstmSequenceGrad,
} from './backends/native/kernels/lstm-sequence.js';
export * from './errors.js';
export * from './optim/adam-update.js';
export * from './optim/sgd-update.js';
export type { NamedTensor } from './tf.js';
export * as tf from './tf.js';
