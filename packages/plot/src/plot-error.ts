/**
 * The error every plot function throws for data or options it cannot draw (empty series, a
 * non-positive value on a log axis, a ragged confusion matrix, an unknown file extension).
 *
 *   try { lineChart({ series: [] }); } catch (e) { if (e instanceof PlotError) console.error(e.message); }
 */
import { DlpipeError } from '@dlpipe/core';

/** Data or options a plot cannot draw; the message says what was received and how to fix it. */
export class PlotError extends DlpipeError {
  constructor(message: string) {
    super('PLOT', message);
  }
}
