/**
 * The self-training curve: holdout accuracy after each pseudo-labeling round (round 0 is the
 * classifier trained on the given labels only), as PNG + SVG.
 *
 *   writeRoundsFigure(result.rounds, 'runs/label/accuracy');  // accuracy.png + accuracy.svg
 */
import { lineChart, writeFigure } from '@dlpipe/plot';
import type { SelfTrainRound } from './self-train-table.js';

/** Writes `<base>.png` and `<base>.svg` (or the one file `base` names); returns the paths (none without accuracies). */
export function writeRoundsFigure(
  rounds: SelfTrainRound[],
  base: string,
  title = 'Self-training: holdout accuracy per round',
): string[] {
  const pts = rounds.filter((r) => r.holdoutAccuracy !== undefined);
  if (pts.length === 0) return [];
  const x = pts.map((r) => r.round);
  const first = pts[0]!.holdoutAccuracy!;
  const svg = lineChart({
    title,
    xLabel: 'pseudo-labeling rounds (0 = given labels only)',
    yLabel: 'holdout accuracy',
    series: [
      { name: 'self-training', x, y: pts.map((r) => r.holdoutAccuracy!), mode: 'line+markers' },
      { name: 'labeled only', x, y: x.map(() => first), dashed: true },
    ],
    legend: 'best',
  });
  return writeFigure(svg, base);
}
