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
