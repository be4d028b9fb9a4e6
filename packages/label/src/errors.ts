/**
 * Typed errors of @dlpipe/label.
 *
 *   throw new LabelError('y has 10 labels for 12 rows of X');
 */
import { DlpipeError } from '@dlpipe/core';

/** Bad inputs to a classifier or self-training (shapes, labels, options). */
export class LabelError extends DlpipeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('LABEL', message, options);
  }
}

/** The label store (SQLite file, CSV import) cannot be read or written. */
export class LabelStoreError extends DlpipeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('LABEL_STORE', message, options);
  }
}
