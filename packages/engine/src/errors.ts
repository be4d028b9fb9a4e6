/**
 * Typed errors of @dlpipe/engine.
 *
 *   throw new BackendError("backend 'tensorflow' cannot load here: …");
 */
import { DlpipeError } from '@dlpipe/core';

/**
 * A backend was asked for that is unknown or cannot load here, or a kernel cannot run on the one
 * loaded (`exitCode: 1` where that is a failure of the installation, not of the input).
 */
export class BackendError extends DlpipeError {
  constructor(message: string, options?: { cause?: unknown; exitCode?: number }) {
    super('BACKEND', message, options);
  }
}
