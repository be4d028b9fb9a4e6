/**
 * One panel's axes: the layout that fits tick labels, axis labels and title inside a box, and
 * the drawing of gridlines (behind the data) and frame, ticks, labels and title (in front).
 *
 *   const axes = layoutAxes({ box: { x: 0, y: 0, width: 640, height: 420 },
 *     xExtent: [0, 10], yExtent: [0.1, 2.3], title: 'loss', xLabel: 'epoch' });
 *   const svg = drawGrid(axes) + seriesSvg + drawFrame(axes);
 */
import { PlotError } from './plot-error.js';
import { type AxisScale, createScale } from './scale.js';
import { line, num, rect, text, textWidth } from './svg.js';

/** A rectangle in pixels. */
export interface PlotBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Font sizes in px of tick labels, axis labels and titles. */
export const FONT_SIZE = { tick: 11, label: 12, title: 14 } as const;
const TICK_LENGTH = 4;
const TICK_GAP = 3;

/** What a chart passes on to its axes: log scales, fixed domains, title and axis labels. */
export interface AxisOptions {
  /** log10 x axis; x values must be > 0 (a PlotError otherwise). Default: false. */
  logX?: boolean;
  /** log10 y axis; y values must be > 0 (a PlotError otherwise). Default: false. */
  logY?: boolean;
  /** A fixed x domain. Default: the data extent widened to nice ticks. */
  xDomain?: readonly [number, number];
  /** A fixed y domain. Default: the data extent widened to nice ticks. */
  yDomain?: readonly [number, number];
  /** Title above the plot. Default: none. */
  title?: string;
  /** x axis label. Default: none. */
  xLabel?: string;
  /** y axis label (rotated). Default: none. */
  yLabel?: string;
}

export interface PlotAxesOptions extends AxisOptions {
  /** The panel: everything (labels, title) is drawn inside it. */
  box: PlotBox;
  /** Finite data [min, max] on x. */
  xExtent: readonly [number, number];
  /** Finite data [min, max] on y. */
  yExtent: readonly [number, number];
}

/** The laid-out axes: the plot area inside the panel and the two scales mapping into it. */
export interface PlotAxes {
  options: PlotAxesOptions;
  plot: PlotBox;
  xScale: AxisScale;
  yScale: AxisScale;
}

function maxLabelWidth(scale: AxisScale): number {
  return Math.max(0, ...scale.ticks.map((t) => textWidth(scale.format(t), FONT_SIZE.tick)));
}

/** The x scale with the most ticks (up to one per 80 px) whose labels do not overlap. */
function fitXScale(o: PlotAxesOptions, left: number, right: number): AxisScale {
  const make = (count: number) =>
    createScale({
      extent: o.xExtent,
      range: [left, right],
      log: o.logX,
      domain: o.xDomain,
      tickCount: count,
    });
  let count = Math.max(2, Math.round((right - left) / 80));
  let scale = make(count);
  while (count > 1 && !labelsFit(scale)) scale = make(--count);
  return scale;
}

function labelsFit(scale: AxisScale): boolean {
  const px = scale.ticks.map((t) => scale.map(t));
  const gaps = px.slice(1).map((p, i) => Math.abs(p - px[i]!));
  return gaps.length === 0 || Math.min(...gaps) >= maxLabelWidth(scale) + 8;
}

/** Fits the plot area inside `box`, leaving room for ticks, labels and title. */
export function layoutAxes(o: PlotAxesOptions): PlotAxes {
  const { box } = o;
  const top = box.y + (o.title ? FONT_SIZE.title + 20 : 12);
  const bottom = box.y + box.height - (TICK_LENGTH + TICK_GAP + FONT_SIZE.tick + (o.xLabel ? 26 : 8));
  const yCount = Math.max(2, Math.round((bottom - top) / 55));
  const yScale = createScale({
    extent: o.yExtent,
    range: [bottom, top],
    log: o.logY,
    domain: o.yDomain,
    tickCount: yCount,
  });
  const left = box.x + (o.yLabel ? 22 : 6) + maxLabelWidth(yScale) + TICK_LENGTH + TICK_GAP + 4;
  let right = box.x + box.width - 16;
  let xScale = fitXScale(o, left, right);
  const overhang = maxLabelWidth(xScale) / 2 + 4 - (box.x + box.width - right);
  if (overhang > 0) {
    right -= overhang;
    xScale = fitXScale(o, left, right);
  }
  const plot = { x: left, y: top, width: right - left, height: bottom - top };
  if (plot.width < 40 || plot.height < 40) {
    const size = `${box.width} × ${box.height} px`;
    throw new PlotError(`a ${size} panel leaves no room to plot once labels fit; make the figure larger.`);
  }
  return { options: o, plot, xScale, yScale };
}

/** Gridlines at the major (and lighter at the minor) ticks; draw before the data. */
export function drawGrid({ plot, xScale, yScale }: PlotAxes): string {
  const out: string[] = [];
  const grid = (v: number, x: boolean, color: string) => {
    const p = (x ? xScale : yScale).map(v);
    out.push(
      x
        ? line(p, plot.y, p, plot.y + plot.height, { stroke: color, 'stroke-width': 1 })
        : line(plot.x, p, plot.x + plot.width, p, { stroke: color, 'stroke-width': 1 }),
    );
  };
  for (const v of xScale.minorTicks) grid(v, true, '#f3f3f3');
  for (const v of yScale.minorTicks) grid(v, false, '#f3f3f3');
  for (const v of xScale.ticks) grid(v, true, '#e3e3e3');
  for (const v of yScale.ticks) grid(v, false, '#e3e3e3');
  return out.join('');
}

/** Frame, ticks, tick labels, axis labels and title; draw after the data. */
export function drawFrame(axes: PlotAxes): string {
  const { plot, xScale, yScale } = axes;
  const out = [rect({ ...plot, fill: 'none', stroke: '#333333', 'stroke-width': 1 })];
  const bottom = plot.y + plot.height;
  const tick = { stroke: '#333333', 'stroke-width': 1 };
  const label = { 'font-size': FONT_SIZE.tick, fill: '#333333' };
  for (const v of xScale.ticks) {
    const x = xScale.map(v);
    out.push(line(x, bottom, x, bottom + TICK_LENGTH, tick));
    const y = bottom + TICK_LENGTH + TICK_GAP + FONT_SIZE.tick * 0.8;
    out.push(text(x, y, xScale.format(v), { ...label, 'text-anchor': 'middle' }));
  }
  for (const v of yScale.ticks) {
    const y = yScale.map(v);
    out.push(line(plot.x - TICK_LENGTH, y, plot.x, y, tick));
    const x = plot.x - TICK_LENGTH - TICK_GAP;
    out.push(text(x, y + FONT_SIZE.tick * 0.35, yScale.format(v), { ...label, 'text-anchor': 'end' }));
  }
  return out.join('') + drawLabels(axes);
}

function drawLabels({ plot, options: o }: PlotAxes): string {
  const out: string[] = [];
  const cx = plot.x + plot.width / 2;
  const cy = plot.y + plot.height / 2;
  const attrs = { 'font-size': FONT_SIZE.label, fill: '#222222', 'text-anchor': 'middle' };
  if (o.xLabel) out.push(text(cx, o.box.y + o.box.height - 8, o.xLabel, attrs));
  if (o.yLabel) {
    const x = o.box.x + 4 + FONT_SIZE.label;
    out.push(text(x, cy, o.yLabel, { ...attrs, transform: `rotate(-90 ${num(x)} ${num(cy)})` }));
  }
  if (o.title) {
    const titleAttrs = { ...attrs, 'font-size': FONT_SIZE.title, fill: '#111111' };
    out.push(text(cx, plot.y - 12, o.title, titleAttrs));
  }
  return out.join('');
}
