/**
 * The typed error of the attention modules: a shape that does not fit (valid lengths, keys and
 * values of different lengths, a weight of the wrong size) or options that cannot work (a
 * `numHiddens` that `numHeads` does not divide). The message says what was received, what was
 * expected and how to fix it; a CLI exits 2 (bad input).
 *
 *   try { maskedSoftmax(X, lens) } catch (e) { if (e instanceof AttentionError) console.error(e.message); }
 */
import { DlpipeError } from '@dlpipe/core';

export class AttentionError extends DlpipeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('NLP_ATTENTION', message, options);
  }
}
