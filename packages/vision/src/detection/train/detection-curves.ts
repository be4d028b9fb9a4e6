/**
 * The curves.png of a detection run: the training loss per logged step and per epoch (with the
 * validation loss) on the left, validation mAP (AP .50:.95, AP50, AP75) per epoch on the right.
 *
 *   writeFigure(plotDetectionCurves(history, { title: 'tinyssd on bananas' }), 'runs/ssd/curves.png');
 */
import { type LineSeries, linePanel, seriesColor, svgDocument } from '@dlpipe/plot';
import type { HistoryRecord } from '@dlpipe/tensor';
import { DetectionError } from '../boxes/errors.js';

export interface DetectionCurvesOptions {
  title?: string;
  /** Default 960. */
  width?: number;
  /** Default 400. */
  height?: number;
}

/** A series of `key` over the records that have it, at x = epoch (steps are drawn as fractions of an epoch). */
function series(
  records: readonly HistoryRecord[],
  key: string,
  i: number,
  stepsPerEpoch: number,
): LineSeries {
  const rows = records.filter((r) => typeof r[key] === 'number' && Number.isFinite(r[key]));
  return {
    name: key,
    x: rows.map((r) => (r.kind === 'step' ? r.step / stepsPerEpoch : r.epoch)),
    y: rows.map((r) => r[key] as number),
    color: seriesColor(i),
    dashed: key.startsWith('val_'),
    mode: rows.length === 1 ? 'markers' : 'line',
  };
}

/** Loss and mAP panels side by side, as SVG. */
export function plotDetectionCurves(
  history: readonly HistoryRecord[],
  o: DetectionCurvesOptions = {},
): string {
  const epochs = history.filter((r) => r.kind === 'epoch');
  if (epochs.length === 0) throw new DetectionError('plotDetectionCurves: the history has no epoch record');
  const last = epochs.at(-1)!;
  const stepsPerEpoch = Math.max(1, last.step / Math.max(1, last.epoch));
  const steps = history.filter((r) => r.kind === 'step');
  const loss = [
    { ...series(steps, 'loss', 0, stepsPerEpoch), name: 'loss (steps)', mode: 'line' as const, lineWidth: 1 },
    { ...series(epochs, 'loss', 1, stepsPerEpoch), name: 'loss (epoch)' },
    series(epochs, 'val_loss', 2, stepsPerEpoch),
  ].filter((s) => s.y.length > 0);
  const map = ['val_AP', 'val_AP50', 'val_AP75']
    .map((k, i) => series(epochs, k, i + 3, stepsPerEpoch))
    .filter((s) => s.y.length > 0);
  const width = o.width ?? 960;
  const height = o.height ?? 400;
  const panels = [
    { series: loss, yLabel: 'loss' },
    ...(map.length ? [{ series: map, yLabel: 'mAP', yDomain: [0, 1] as const }] : []),
  ];
  const pw = width / panels.length;
  const drawn = panels.map((p, i) =>
    linePanel(
      { ...p, xLabel: 'epoch', title: i === 0 ? o.title : undefined },
      { x: i * pw, y: 0, width: pw, height },
      `panel${i}`,
    ),
  );
  return svgDocument(width, height, drawn);
}
