/**
 * The self-training curve: holdout accuracy after each pseudo-labeling round (round 0 is the
 * classifier trained on the given labels only), as PNG + SVG.
 *
 *   writeRoundsFigure(result.rounds, 'runs/label/accuracy');  // accuracy.png + accuracy.svg
 *   roundsFigureFiles(result.rounds, 'runs/label/accuracy');  // the same, rendered, not written
 */
import { extname } from 'node:path';
import { type FigureFile, figureFiles, lineChart, writeFigure } from '@dlpipe/plot';
import { LabelError } from '../errors.js';
import type { SelfTrainRound } from './self-train-table.js';

const TITLE = 'Self-training: holdout accuracy per round';

/** The chart as SVG, or undefined when no round has a holdout accuracy. */
function roundsSvg(rounds: SelfTrainRound[], title: string): string | undefined {
  const pts = rounds.filter((r) => r.holdoutAccuracy !== undefined);
  if (pts.length === 0) return undefined;
  const x = pts.map((r) => r.round);
  const first = pts[0]!.holdoutAccuracy!;
  return lineChart({
    title,
    xLabel: 'pseudo-labeling rounds (0 = given labels only)',
    yLabel: 'holdout accuracy',
    series: [
      { name: 'self-training', x, y: pts.map((r) => r.holdoutAccuracy!), mode: 'line+markers' },
      { name: 'labeled only', x, y: x.map(() => first), dashed: true },
    ],
    legend: 'best',
  });
}

/** The figure's paths: `<base>.png` and `<base>.svg`, or the one file `base` names (.png or .svg). */
export function roundsFigurePaths(base: string): string[] {
  const ext = extname(base).toLowerCase();
  if (ext === '') return [`${base}.png`, `${base}.svg`];
  if (ext === '.png' || ext === '.svg') return [base];
  throw new LabelError(`the accuracy plot '${base}' must end in .png or .svg, or have no extension for both`);
}

/** The figure's files, rendered (PNG bytes, SVG text) but not written; none without accuracies. */
export function roundsFigureFiles(rounds: SelfTrainRound[], base: string, title = TITLE): FigureFile[] {
  roundsFigurePaths(base); // the label package's message for a bad extension
  const svg = roundsSvg(rounds, title);
  return svg === undefined ? [] : figureFiles(svg, base);
}

/** Writes `<base>.png` and `<base>.svg` (or the one file `base` names); returns the paths (none without accuracies). */
export function writeRoundsFigure(rounds: SelfTrainRound[], base: string, title = TITLE): string[] {
  const svg = roundsSvg(rounds, title);
  return svg === undefined ? [] : writeFigure(svg, base);
}
