/**
 * Names of dlpipe's own fused kernels, in a module with no imports so that `tf.ts` (through the
 * op-level fusions in ../../../fusion/) and the kernels themselves can both name them.
 *
 *   tf.getKernel(BATCH_NORM_TRAIN, tf.getBackend()) !== undefined;   // the native backend has it
 */

/** Batch norm's training step: x, scale, offset → y, batch mean, batch variance (batchnorm-train.ts). */
export const BATCH_NORM_TRAIN = 'DlpipeBatchNormTrain';
/** Its gradient: dy, x, mean, variance, scale, dMean, dVariance → dx, dscale, doffset. */
export const BATCH_NORM_TRAIN_GRAD = 'DlpipeBatchNormTrainGrad';

/** A GRU layer over a sequence: xp [T·B, 3H], h0 [B, H], wh [H, 3H] → hs [T·B, H], gates [T·B, 3H] (gru-sequence.ts). */
export const GRU_SEQUENCE = 'DlpipeGruSequence';
/** Its gradient: dhs, gates, hs, h0, wh → dxp, dh0, dwh. */
export const GRU_SEQUENCE_GRAD = 'DlpipeGruSequenceGrad';

/** An LSTM layer over a sequence: xp [T·B, 4H], h0, c0 [B, H], wh [H, 4H] → hs, cs [T·B, H], gates [T·B, 4H] (lstm-sequence.ts). */
export const LSTM_SEQUENCE = 'DlpipeLstmSequence';
/** Its gradient: dhs, dcs, gates, hs, cs, h0, c0, wh → dxp, dh0, dc0, dwh. */
export const LSTM_SEQUENCE_GRAD = 'DlpipeLstmSequenceGrad';

/** Σ of squares over every input tensor (any number, named g0, g1, …) → a float32 scalar (optim.ts). */
export const SUM_SQUARES = 'DlpipeSumSquares';
/** Every input tensor (g0, g1, …) times the attr `scale`, as as many outputs (optim.ts). */
export const SCALE_MANY = 'DlpipeScaleMany';

/** Layer norm over the last axis: x, gamma, beta → y, mean [rows], rstd [rows] (layer-norm.ts). */
export const LAYER_NORM = 'DlpipeLayerNorm';
/** Its gradient: dy, x, mean, rstd, gamma → dx, dgamma, dbeta. */
export const LAYER_NORM_GRAD = 'DlpipeLayerNormGrad';

/** Dropout: x → y, mask (0 or 1/(1−rate) per element), attrs rate and seed (dropout.ts). */
export const DROPOUT = 'DlpipeDropout';
