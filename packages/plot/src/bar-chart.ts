/**
 * A horizontal bar chart: one labelled bar per value, the value printed at the bar's end, an
 * optional reference line (e.g. chance level). For comparisons people read at a glance, such as
 * the test accuracy of labeled-only vs self-trained vs fully supervised training.
 *
 *   writeFigure(barChart({ bars: [{ label: 'labeled only', value: 0.67 }, …], max: 1, title: 'Test accuracy' }), 'runs/x/accuracy');
 */

import { seriesColor } from './palette.js';
import { PlotError } from './plot-error.js';
import { escapeXml, num, svgDocument } from './svg.js';

export interface Bar {
  label: string;
  value: number;
  /** Fill colour. Default: the series palette by position. */
  color?: string;
}

export interface BarChartOptions {
  bars: Bar[];
  title?: string;
  /** The value at the right edge. Default: the largest value. */
  max?: number;
  /** How values are printed. Default: 3 decimals. */
  format?: (v: number) => string;
  /** A dashed vertical line at this value, with its label. */
  reference?: { value: number; label: string };
  /** Default 640. */
  width?: number;
}

export function barChart(o: BarChartOptions): string {
  if (o.bars.length === 0)
    throw new PlotError('barChart: no bars to draw; pass at least one { label, value }');
  for (const b of o.bars) {
    if (!Number.isFinite(b.value) || b.value < 0) {
      throw new PlotError(`barChart: bar '${b.label}' has value ${b.value}; expected a finite number >= 0`);
    }
  }
  const fmt = o.format ?? ((v: number) => v.toFixed(3));
  const width = o.width ?? 640;
  const labelW = Math.min(260, 16 + 7.2 * Math.max(...o.bars.map((b) => b.label.length)));
  const top = o.title ? 40 : 14;
  const barH = 30;
  const gap = 12;
  const plotW = width - labelW - 70;
  const max = o.max ?? Math.max(...o.bars.map((b) => b.value), 1e-12);
  const x = (v: number) => labelW + (Math.min(v, max) / max) * plotW;
  const height = top + o.bars.length * (barH + gap) + (o.reference ? 26 : 10);
  const parts: string[] = [];
  if (o.title)
    parts.push(
      `<text x="${num(width / 2)}" y="24" font-size="15" text-anchor="middle">${escapeXml(o.title)}</text>`,
    );
  o.bars.forEach((b, i) => {
    const y = top + i * (barH + gap);
    parts.push(
      `<text x="${num(labelW - 8)}" y="${num(y + barH / 2 + 4)}" font-size="12" text-anchor="end">${escapeXml(b.label)}</text>`,
      `<rect x="${num(labelW)}" y="${num(y)}" width="${num(x(b.value) - labelW)}" height="${barH}" fill="${b.color ?? seriesColor(i)}"/>`,
      `<text x="${num(x(b.value) + 6)}" y="${num(y + barH / 2 + 4)}" font-size="12">${escapeXml(fmt(b.value))}</text>`,
    );
  });
  if (o.reference) {
    const rx = x(o.reference.value);
    const y2 = top + o.bars.length * (barH + gap);
    parts.push(
      `<line x1="${num(rx)}" y1="${num(top - 4)}" x2="${num(rx)}" y2="${num(y2)}" stroke="#555" stroke-dasharray="4 3"/>`,
      `<text x="${num(rx)}" y="${num(y2 + 14)}" font-size="11" text-anchor="middle" fill="#555">${escapeXml(o.reference.label)}</text>`,
    );
  }
  return svgDocument(width, height, parts);
}
