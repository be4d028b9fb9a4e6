/**
 * The legend: a box in a corner of the plot with one row per series (a line sample, dashed or
 * solid, or a dot, then the name). `'best'` picks the corner that hides the fewest data points.
 *
 *   drawLegend([{ name: 'train loss', color: '#1f77b4' }], plot, 'best', pixelPolylines);
 */
import type { PlotBox } from './axes.js';
import { el, line, rect, text, textWidth } from './svg.js';

/** Where the legend goes; `'best'` is the corner covering the fewest data points. */
export type LegendLocation = 'best' | 'upper right' | 'upper left' | 'lower left' | 'lower right';

/** One legend row. */
export interface LegendEntry {
  name: string;
  color: string;
  dashed?: boolean;
  /** Draw a dot instead of a line sample (scatter series). */
  marker?: boolean;
}

const FONT = 11;
const ROW = 17;
const PAD = 6;
const SWATCH = 24;
const INSET = 8;
/** The dash pattern of dashed series, also used in legend samples. */
export const DASH = '6 4';

function legendSize(entries: readonly LegendEntry[]): { width: number; height: number } {
  const names = Math.max(...entries.map((e) => textWidth(e.name, FONT)));
  return { width: PAD + SWATCH + 6 + names + PAD, height: PAD * 2 + entries.length * ROW - 4 };
}

function cornerBox(loc: Exclude<LegendLocation, 'best'>, plot: PlotBox, w: number, h: number): PlotBox {
  const x = loc.endsWith('right') ? plot.x + plot.width - INSET - w : plot.x + INSET;
  const y = loc.startsWith('upper') ? plot.y + INSET : plot.y + plot.height - INSET - h;
  return { x, y, width: w, height: h };
}

/** Points along the polylines, at most 3 px apart, so a long straight segment still counts. */
function samples(
  polylines: ReadonlyArray<ReadonlyArray<readonly [number, number]>>,
): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const pl of polylines) {
    pl.forEach((p, i) => {
      const q = pl[i + 1];
      out.push([p[0], p[1]]);
      if (!q) return;
      const n = Math.min(200, Math.floor(Math.hypot(q[0] - p[0], q[1] - p[1]) / 3));
      for (let k = 1; k < n; k++) out.push([p[0] + ((q[0] - p[0]) * k) / n, p[1] + ((q[1] - p[1]) * k) / n]);
    });
  }
  return out;
}

function bestCorner(
  plot: PlotBox,
  w: number,
  h: number,
  polylines: ReadonlyArray<ReadonlyArray<readonly [number, number]>>,
): PlotBox {
  const pts = samples(polylines);
  const corners = (['upper right', 'upper left', 'lower left', 'lower right'] as const).map((c) =>
    cornerBox(c, plot, w, h),
  );
  const hidden = (b: PlotBox) =>
    pts.filter(([x, y]) => x >= b.x - 2 && x <= b.x + b.width + 2 && y >= b.y - 2 && y <= b.y + b.height + 2)
      .length;
  return corners.reduce((best, b) => (hidden(b) < hidden(best) ? b : best));
}

/** The legend as SVG, placed inside `plot`; `polylines` are the series in pixels (for 'best'). */
export function drawLegend(
  entries: readonly LegendEntry[],
  plot: PlotBox,
  loc: LegendLocation,
  polylines: ReadonlyArray<ReadonlyArray<readonly [number, number]>>,
): string {
  if (entries.length === 0) return '';
  const { width, height } = legendSize(entries);
  const box =
    loc === 'best' ? bestCorner(plot, width, height, polylines) : cornerBox(loc, plot, width, height);
  const rows = entries.map((e, i) => {
    const cy = box.y + PAD + ROW / 2 - 2 + i * ROW;
    const x0 = box.x + PAD;
    const swatch = e.marker
      ? el('circle', { cx: x0 + SWATCH / 2, cy, r: 3.5, fill: e.color })
      : line(x0, cy, x0 + SWATCH, cy, {
          stroke: e.color,
          'stroke-width': 2,
          'stroke-dasharray': e.dashed ? DASH : undefined,
        });
    return swatch + text(x0 + SWATCH + 6, cy + FONT * 0.35, e.name, { 'font-size': FONT, fill: '#222222' });
  });
  const frame = rect({ ...box, rx: 3, fill: 'white', 'fill-opacity': 0.85, stroke: '#cccccc' });
  return el('g', { class: 'legend' }, [frame, ...rows]);
}
