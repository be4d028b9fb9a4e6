/**
 * Typed errors of @dlpipe/tensor. The base classes are @dlpipe/core's: `DlpipeError`, plus
 * `OptionsError` (a bad option) and `InvalidArgumentError` (a value out of its domain), which the
 * losses, metrics and optimizers throw. Each names what was received, what was expected and how to
 * fix it, so callers can catch by class (`instanceof ModelLoadError`) and users read one clear line.
 */
import { DlpipeError } from '@dlpipe/core';

/** A saved model (model.json or a weight file) is missing, unreadable or corrupt. */
export class ModelLoadError extends DlpipeError {
  readonly path: string;
  constructor(path: string, message: string, options?: { cause?: unknown }) {
    super('MODEL_LOAD', `${message} (${path})`, options);
    this.path = path;
  }
}

/**
 * Two shapes that must fit together do not: saved weights and the model they are loaded into, or a
 * prediction and its target (a loss, a metric). The message names both shapes.
 */
export class ShapeMismatchError extends DlpipeError {
  constructor(message: string) {
    super('SHAPE_MISMATCH', message);
  }
}

/** The loss became NaN or infinite; training stops at that step (a failure of the run: exit 1). */
export class NonFiniteLossError extends DlpipeError {
  readonly epoch: number;
  readonly step: number;
  readonly value: number;
  constructor(epoch: number, step: number, value: number) {
    super(
      'NON_FINITE_LOSS',
      `loss is ${value} at epoch ${epoch}, step ${step} (global). Lower the learning rate, clip ` +
        'gradients (clipNorm) or check the inputs for NaN/Inf.',
      { exitCode: 1 },
    );
    this.epoch = epoch;
    this.step = step;
    this.value = value;
  }
}

/** A checkpoint cannot be resumed from (missing, corrupt, or written by another model). */
export class CheckpointError extends DlpipeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('CHECKPOINT', message, options);
  }
}
