/**
 * The base of every dlpipe error. Each names what was received, what was expected and how to fix
 * it, so callers can catch by class (`instanceof OptionsError`) and users read one clear line.
 * A CLI exits with the error's `exitCode`: 2 for bad input (the default), 1 for a failure.
 *
 *   throw new OptionsError(`--epochs: expected a positive integer, received '${raw}'`);
 */

/** Base class of every dlpipe error. `code` is stable for programs; `message` is for people. */
export class DlpipeError extends Error {
  readonly code: string;
  /** The CLI exit status: 2 = bad input or usage (default), 1 = a failure of the work itself. */
  readonly exitCode: number;
  constructor(code: string, message: string, options?: { cause?: unknown; exitCode?: number }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.exitCode = options?.exitCode ?? 2;
  }
}

/** Options or arguments that do not fit their schema; the message names each bad field. */
export class OptionsError extends DlpipeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('OPTIONS', message, options);
  }
}

/** A value handed to a function is out of its domain (shape, range, type); says what was expected. */
export class InvalidArgumentError extends DlpipeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('INVALID_ARGUMENT', message, options);
  }
}

/** The work was stopped by a signal or an AbortSignal; exit 130 (SIGINT, default) or 143 (SIGTERM). */
export class InterruptedError extends DlpipeError {
  readonly signal: 'SIGINT' | 'SIGTERM' | undefined;
  constructor(message = 'interrupted', options?: { cause?: unknown; signal?: 'SIGINT' | 'SIGTERM' }) {
    super('INTERRUPTED', message, {
      cause: options?.cause,
      exitCode: options?.signal === 'SIGTERM' ? 143 : 130,
    });
    this.signal = options?.signal;
  }
}

/** The exit status of work stopped through `signal`: 143 after SIGTERM, 130 otherwise. */
export function interruptedExitCode(signal: AbortSignal): number {
  return signal.reason instanceof InterruptedError ? signal.reason.exitCode : 130;
}

/** A file or folder given as input or output cannot be used (missing, a folder, unwritable). */
export class PathError extends DlpipeError {
  readonly path: string;
  constructor(path: string, message: string, options?: { cause?: unknown }) {
    super('PATH', `${path}: ${message}`, options);
    this.path = path;
  }
}
