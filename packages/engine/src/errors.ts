/**
 * Typed errors of @dlpipe/engine.
 *
 *   throw new BackendError("backend 'tensorflow' cannot load here: …");
 */
import { DlpipeError } from '@dlpipe/core';

/** A backend was asked for that is unknown or cannot load here. */
export class BackendError extends DlpipeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('BACKEND', message, options);
  }
}
