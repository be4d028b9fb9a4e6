/**
 * Typed errors of @dlpipe/vision. Each names the file/field, what was received, what was expected
 * and how to fix it; all extend @dlpipe/tensor's `DlpipeError`.
 *
 *   try { await readImage('x.jpg'); } catch (e) { if (e instanceof ImageDecodeError) console.error(e.path); }
 */
import { DlpipeError } from '@dlpipe/core';

/** An image file or buffer cannot be decoded (corrupt, empty, not an image, too large). */
export class ImageDecodeError extends DlpipeError {
  readonly path: string;
  constructor(path: string, message: string, options?: { cause?: unknown }) {
    super('IMAGE_DECODE', `${path}: ${message}`, options);
    this.path = path;
  }
}

/** A tensor or image does not have the shape, dtype or channel count an operation needs. */
export class ImageShapeError extends DlpipeError {
  constructor(message: string) {
    super('IMAGE_SHAPE', message);
  }
}

/** A dataset (folder, manifest, idx set) is missing, malformed or empty. */
export class DatasetError extends DlpipeError {
  readonly path: string;
  constructor(path: string, message: string, options?: { cause?: unknown }) {
    super('DATASET', `${path}: ${message}`, options);
    this.path = path;
  }
}

/** A model name is not in the zoo, or its configuration cannot be built. */
export class ModelConfigError extends DlpipeError {
  constructor(message: string) {
    super('MODEL_CONFIG', message);
  }
}

/** A pretrained model cannot be loaded or cut for fine-tuning. */
export class PretrainedModelError extends DlpipeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('PRETRAINED_MODEL', message, options);
  }
}
