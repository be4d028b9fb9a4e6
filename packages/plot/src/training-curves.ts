/**
 * Training curves in the d2l style: losses in one panel, accuracy-like metrics (names with
 * acc, f1, precision, recall or auc) in a second panel beside it, one tab10 color per key
 * (C0, C1, … across both panels, as d2l's ProgressBoard) and validation keys (`val_…`) dashed. Each curve joins the records that have its key,
 * so validation logged once an epoch next to a loss logged every step still draws a line.
 *
 *   const history = [{ epoch: 1, loss: 2.1, val_loss: 2.2, acc: 0.31, val_acc: 0.29 }, …];
 *   writeFigure(plotTrainingCurves(history, { x: 'epoch', title: 'MLP on MNIST' }), 'runs/mlp/curves.png');
 */
import type { PlotBox } from './axes.js';
import { FONT_SIZE } from './axes.js';
import { type LineSeries, linePanel } from './line-chart.js';
import { seriesColor } from './palette.js';
import { PlotError } from './plot-error.js';
import { svgDocument, text } from './svg.js';

export interface TrainingCurvesOptions {
  /** The record key on the x axis. */
  x: 'epoch' | 'step';
  /** Figure title, above both panels. Default: none. */
  title?: string;
  /** The keys to plot. Default: every numeric key except epoch, step and IGNORED_CURVE_KEYS. */
  keys?: readonly string[];
  /** Figure width in px. Default: 960 with two panels, 640 with one. */
  width?: number;
  /** Figure height in px. Default: 400 with two panels, 420 with one. */
  height?: number;
}

/** Keys that are bookkeeping, not curves: left out unless named in `keys`. */
export const IGNORED_CURVE_KEYS: readonly string[] = [
  'epoch',
  'step',
  'iteration',
  'lr',
  'learning_rate',
  'time',
  'elapsed',
];

const METRIC = /acc|f1|precision|recall|auc/i;
const VAL = /^val(_|(?=[A-Z]))/;

/** Whether a key holds an accuracy-like metric (drawn on the metrics panel). */
export function isMetricKey(key: string): boolean {
  return METRIC.test(key);
}

function numericKeys(records: ReadonlyArray<Record<string, number>>): string[] {
  const keys = new Set<string>();
  for (const r of records) for (const [k, v] of Object.entries(r)) if (typeof v === 'number') keys.add(k);
  return [...keys].filter((k) => records.some((r) => Number.isFinite(r[k])));
}

function curveKeys(records: ReadonlyArray<Record<string, number>>, o: TrainingCurvesOptions): string[] {
  if (records.length === 0) throw new PlotError('plotTrainingCurves needs at least one record, got none.');
  const all = numericKeys(records);
  if (!all.includes(o.x)) {
    const other = o.x === 'epoch' ? 'step' : 'epoch';
    throw new PlotError(
      `no record has a numeric '${o.x}'; pass x: '${other}' or add '${o.x}' to the records.`,
    );
  }
  const wanted = o.keys
    ? all.filter((k) => o.keys!.includes(k))
    : all.filter((k) => !IGNORED_CURVE_KEYS.includes(k));
  const keys = wanted.filter(
    (k) => k !== o.x && records.some((r) => Number.isFinite(r[o.x]) && Number.isFinite(r[k])),
  );
  if (keys.length === 0) {
    throw new PlotError(`no curves to plot: the records have keys [${all.join(', ')}]; pass keys: [...].`);
  }
  return keys;
}

/** One series per key, over the records that have it: validation logged every few steps still joins up. */
function toSeries(
  records: ReadonlyArray<Record<string, number>>,
  keys: string[],
  x: string,
  colors: Map<string, string>,
): LineSeries[] {
  return keys.map((k) => {
    const rows = records.filter((r) => Number.isFinite(r[x]) && Number.isFinite(r[k]));
    return {
      name: k,
      x: rows.map((r) => r[x]!),
      y: rows.map((r) => r[k]!),
      color: colors.get(k),
      dashed: VAL.test(k),
    };
  });
}

/** One panel: losses on their own scale, metrics on [0, 1] when they all fit. */
function panel(
  records: ReadonlyArray<Record<string, number>>,
  keys: string[],
  o: TrainingCurvesOptions,
  colors: Map<string, string>,
  box: PlotBox,
  id: string,
): string {
  const metric = isMetricKey(keys[0]!);
  const series = toSeries(records, keys, o.x, colors);
  const inUnit = series.every((s) => s.y.every((v) => v >= 0 && v <= 1));
  const yDomain = metric && inUnit ? ([0, 1] as const) : undefined;
  return linePanel({ series, xLabel: o.x, yLabel: metric ? 'metric' : 'loss', yDomain }, box, id);
}

/** Training curves as one SVG: a loss panel and a metrics panel side by side (or just one). */
export function plotTrainingCurves(
  records: ReadonlyArray<Record<string, number>>,
  options: TrainingCurvesOptions,
): string {
  const keys = curveKeys(records, options);
  const panels = [keys.filter((k) => !isMetricKey(k)), keys.filter(isMetricKey)].filter((p) => p.length > 0);
  const colors = new Map(panels.flat().map((k, i) => [k, seriesColor(i)]));
  const width = options.width ?? (panels.length === 2 ? 960 : 640);
  const height = options.height ?? (panels.length === 2 ? 400 : 420);
  const top = options.title ? FONT_SIZE.title + 16 : 0;
  const title = options.title
    ? [
        text(width / 2, FONT_SIZE.title + 8, options.title, {
          'font-size': FONT_SIZE.title,
          'text-anchor': 'middle',
        }),
      ]
    : [];
  const panelWidth = width / panels.length;
  const boxAt = (i: number): PlotBox => ({
    x: i * panelWidth,
    y: top,
    width: panelWidth,
    height: height - top,
  });
  const drawn = panels.map((p, i) => panel(records, p, options, colors, boxAt(i), `panel${i}`));
  return svgDocument(width, height, [...title, ...drawn]);
}
