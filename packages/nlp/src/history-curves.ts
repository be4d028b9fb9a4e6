/**
 * The step records of a `fit` history as the curve plots take them: numbers only (`kind` left out).
 *
 *   writeFigure(plotTrainingCurves(stepCurves(result.history), { x: 'step' }), 'runs/x/curves.png');
 */
import type { HistoryRecord } from '@dlpipe/tensor';

/** The 'step' records of a history, each with its numeric fields only. */
export function stepCurves(history: readonly HistoryRecord[]): Array<Record<string, number>> {
  return history
    .filter((r) => r.kind === 'step')
    .map((r) =>
      Object.fromEntries(Object.entries(r).filter((e): e is [string, number] => typeof e[1] === 'number')),
    );
}
