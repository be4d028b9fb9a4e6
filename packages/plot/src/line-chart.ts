/**
 * A generic line / scatter chart as an SVG string: several named series, optional log axes,
 * nice ticks, gridlines, a legend and a title. NaN and ±Infinity points are skipped (a line
 * breaks there); an isolated point is drawn as a dot.
 *
 *   const svg = lineChart({
 *     title: 'Zipf', xLabel: 'rank', yLabel: 'frequency', logX: true, logY: true,
 *     series: [{ name: 'words', y: counts }],          // x defaults to 1, 2, …, n
 *   });
 *   writeFigure(svg, 'runs/zipf.png');
 */
import { type AxisOptions, drawFrame, drawGrid, layoutAxes, type PlotAxes, type PlotBox } from './axes.js';
import { DASH, drawLegend, type LegendLocation } from './legend.js';
import { seriesColor } from './palette.js';
import { PlotError } from './plot-error.js';
import { el, polylinePath, svgDocument } from './svg.js';

/** One named series of (x, y) points. */
export interface LineSeries {
  /** Legend name. */
  name: string;
  /** y values; NaN and ±Infinity are skipped. */
  y: readonly number[];
  /** x values, as many as y. Default: 1, 2, …, y.length (ranks, so log axes work). */
  x?: readonly number[];
  /** Stroke / fill color. Default: the tab10 color of the series' index. */
  color?: string;
  /** A dashed line. Default: false. */
  dashed?: boolean;
  /** Draw a line, dots, or both. Default: 'line'. */
  mode?: 'line' | 'markers' | 'line+markers';
  /** Line width in px. Default: 2. */
  lineWidth?: number;
}

export interface LineChartOptions extends AxisOptions {
  /** The series, drawn in order; at least one with a finite point. */
  series: readonly LineSeries[];
  /** Figure width in px. Default: 640. */
  width?: number;
  /** Figure height in px. Default: 420. */
  height?: number;
  /** Legend corner, or false for none. Default: 'best'. */
  legend?: LegendLocation | false;
}

type Point = [number, number];

/** A series checked and split into runs of finite points. */
interface CleanSeries {
  series: LineSeries;
  color: string;
  runs: Point[][];
}

function fail(s: LineSeries, what: string): never {
  throw new PlotError(`series '${s.name}' ${what}`);
}

/** Splits a series at non-finite points; throws for ragged, empty or non-positive-on-log data. */
function cleanSeries(s: LineSeries, i: number, o: LineChartOptions): CleanSeries {
  const xs = s.x ?? s.y.map((_, k) => k + 1);
  if (xs.length !== s.y.length)
    fail(s, `has ${xs.length} x values and ${s.y.length} y values; pass equal lengths.`);
  if (s.y.length === 0) fail(s, 'is empty; pass at least one point.');
  const runs: Point[][] = [[]];
  for (const [k, x] of xs.entries()) {
    const y = s.y[k]!;
    if (!Number.isFinite(x) || !Number.isFinite(y)) {
      if (runs.at(-1)!.length > 0) runs.push([]);
      continue;
    }
    if (o.logX && x <= 0) fail(s, `has x[${k}] = ${x} on a log x axis; drop values <= 0 or set logX: false.`);
    if (o.logY && y <= 0) fail(s, `has y[${k}] = ${y} on a log y axis; drop values <= 0 or set logY: false.`);
    runs.at(-1)!.push([x, y]);
  }
  const nonEmpty = runs.filter((r) => r.length > 0);
  if (nonEmpty.length === 0) fail(s, 'has no finite points (all NaN or Infinity).');
  return { series: s, color: s.color ?? seriesColor(i), runs: nonEmpty };
}

function extent(values: number[]): [number, number] {
  return values.reduce<[number, number]>(
    ([lo, hi], v) => [Math.min(lo, v), Math.max(hi, v)],
    [Infinity, -Infinity],
  );
}

/** Checks the series and lays out the axes inside `box` (default: the whole figure). */
function prepare(o: LineChartOptions, box?: PlotBox): { axes: PlotAxes; series: CleanSeries[] } {
  if (o.series.length === 0) throw new PlotError('lineChart needs at least one series, got none.');
  const series = o.series.map((s, i) => cleanSeries(s, i, o));
  const points = series.flatMap((s) => s.runs.flat());
  const axes = layoutAxes({
    box: box ?? { x: 0, y: 0, width: o.width ?? 640, height: o.height ?? 420 },
    xExtent: extent(points.map((p) => p[0])),
    yExtent: extent(points.map((p) => p[1])),
    logX: o.logX,
    logY: o.logY,
    xDomain: o.xDomain,
    yDomain: o.yDomain,
    title: o.title,
    xLabel: o.xLabel,
    yLabel: o.yLabel,
  });
  return { axes, series };
}

/** The plot area and scales of a line chart, e.g. to map data to PNG pixels in a test. */
export function layoutLineChart(o: LineChartOptions, box?: PlotBox): PlotAxes {
  return prepare(o, box).axes;
}

function drawSeries(s: CleanSeries, pixels: Point[][]): string {
  const { mode = 'line', dashed, lineWidth = 2 } = s.series;
  const out: string[] = [];
  for (const run of pixels) {
    if (mode !== 'markers' && run.length > 1) {
      const stroke = { stroke: s.color, 'stroke-width': lineWidth, 'stroke-linejoin': 'round' };
      out.push(polylinePath(run, { ...stroke, 'stroke-dasharray': dashed ? DASH : undefined }));
    }
    if (mode !== 'line' || run.length === 1) {
      for (const [cx, cy] of run) out.push(el('circle', { cx, cy, r: 3, fill: s.color }));
    }
  }
  return out.join('');
}

/** One chart panel as an SVG `<g>` inside `box`; `id` keeps its clip path unique in a figure. */
export function linePanel(o: LineChartOptions, box: PlotBox, id = 'plot'): string {
  const { axes, series } = prepare(o, box);
  const { plot, xScale, yScale } = axes;
  const pixels = series.map((s) =>
    s.runs.map((r) => r.map(([x, y]): Point => [xScale.map(x), yScale.map(y)])),
  );
  const clipBox = { x: plot.x - 3, y: plot.y - 3, width: plot.width + 6, height: plot.height + 6 };
  const clip = el('clipPath', { id: `${id}-clip` }, el('rect', clipBox));
  const data = el(
    'g',
    { 'clip-path': `url(#${id}-clip)` },
    series.map((s, i) => drawSeries(s, pixels[i]!)),
  );
  const entries = series.map((s) => ({
    name: s.series.name,
    color: s.color,
    dashed: s.series.dashed,
    marker: s.series.mode === 'markers' || s.runs.every((r) => r.length === 1),
  }));
  const legend = o.legend === false ? '' : drawLegend(entries, plot, o.legend ?? 'best', pixels.flat());
  return el('g', { id }, [el('defs', {}, clip), drawGrid(axes), data, drawFrame(axes), legend]);
}

/** A whole line chart as an SVG document string (width × height px, white background). */
export function lineChart(o: LineChartOptions): string {
  const width = o.width ?? 640;
  const height = o.height ?? 420;
  return svgDocument(width, height, [linePanel(o, { x: 0, y: 0, width, height })]);
}
