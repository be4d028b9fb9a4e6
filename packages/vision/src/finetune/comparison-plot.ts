/**
 * The learning curves of a fine-tuned vs from-scratch comparison in one chart: test (solid) and
 * training (dashed) accuracy per epoch of both runs, with the epoch the backbone was unfrozen.
 *
 *   writeFigure(comparisonChart(await compareFinetune(o)), 'runs/ft/comparison.png');
 */
import { type LineSeries, lineChart, TAB10 } from '@dlpipe/plot';
import type { CompareArm, CompareFinetuneResult } from './compare-finetune.js';

function curves(arm: CompareArm, name: string, color: string): LineSeries[] {
  const x = arm.epochs.map((r) => r.epoch);
  const num = (v: unknown) => (typeof v === 'number' ? v : Number.NaN);
  return [
    { name: `${name}, test`, x, y: arm.epochs.map((r) => num(r.val_accuracy)), color, mode: 'line+markers' },
    { name: `${name}, train`, x, y: arm.epochs.map((r) => num(r.accuracy)), color, dashed: true },
  ];
}

/** An SVG line chart of both runs' accuracy per epoch. */
export function comparisonChart(r: CompareFinetuneResult): string {
  const s = r.settings;
  const unfrozen = s.headEpochs && s.fullEpochs ? `, backbone unfrozen after epoch ${s.headEpochs}` : '';
  return lineChart({
    title: `MobileNetV2 at ${s.inputSize}×${s.inputSize}: fine-tuned ${r.finetuned.accuracy.toFixed(3)} vs scratch ${r.scratch.accuracy.toFixed(3)}${unfrozen}`,
    xLabel: 'epoch',
    yLabel: 'accuracy',
    yDomain: [0, 1],
    width: 760,
    series: [
      ...curves(r.finetuned, 'fine-tuned', TAB10[0] ?? '#1f77b4'),
      ...curves(r.scratch, 'from scratch', TAB10[1] ?? '#ff7f0e'),
    ],
    legend: 'lower right',
  });
}
