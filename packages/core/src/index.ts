/**
 * @dlpipe/core — dlpipe's base, with no TensorFlow.js: the error hierarchy, zod issue formatting,
 * seeded randomness, progress bars and the one CLI framework every app uses.
 *
 *   import { defineCommand, runCli, OptionsError, ProgressBar, Rng } from '@dlpipe/core';
 */

export * from './cli/command.js';
export * from './cli/fields.js';
export * from './cli/help.js';
export * from './cli/run-cli.js';
export * from './errors.js';
export * from './fs/atomic.js';
export * from './fs/paths.js';
export * from './progress.js';
export * from './random.js';
export * from './zod-issues.js';
