/**
 * A confusion-matrix heatmap like sklearn's ConfusionMatrixDisplay: true labels down the rows,
 * predicted labels across the columns, the Blues colormap from 0 to the largest value, each
 * cell's value written in it (white on dark cells), and a colorbar.
 *
 *   const cm = confusionMatrix(yTrue, yPred);                 // number[][], rows = true
 *   writeFigure(plotConfusionMatrix(cm, { labels: ['cat', 'dog'], normalize: 'true' }), 'runs/cm.png');
 */
import { FONT_SIZE, type PlotBox } from './axes.js';
import { drawColorbar } from './colorbar.js';
import { blues, inkOn } from './palette.js';
import { PlotError } from './plot-error.js';
import { num, rect, svgDocument, text, textWidth } from './svg.js';

export interface ConfusionMatrixPlotOptions {
  /** Class names, one per row/column. Default: '0', '1', …. */
  labels?: readonly string[];
  /** Divide by row sums ('true'), column sums ('pred') or the total ('all'). Default: null (counts). */
  normalize?: 'true' | 'pred' | 'all' | null;
  /** Figure title. Default: 'Confusion matrix'. */
  title?: string;
}

/** Where everything goes; exported so tests (and overlays) can find each cell. */
export interface ConfusionMatrixLayout {
  width: number;
  height: number;
  /** Side of one cell, px. */
  cell: number;
  /** The grid of n × n cells; cell (i, j) is at (grid.x + j·cell, grid.y + i·cell). */
  grid: PlotBox;
  colorbar: PlotBox;
  /** Whether the column labels are rotated 45° to fit. */
  rotateX: boolean;
}

const LABEL_FONT = FONT_SIZE.tick;

/** The layout of an n × n matrix with these labels and title. */
export function confusionMatrixLayout(labels: readonly string[], title?: string): ConfusionMatrixLayout {
  const n = labels.length;
  const side = Math.min(600, Math.max(260, n * 44));
  const cell = side / n;
  const labelWidth = Math.max(...labels.map((l) => textWidth(l, LABEL_FONT)));
  const rotateX = labelWidth > cell - 4;
  const x = 22 + 6 + labelWidth + 8;
  const y = title ? FONT_SIZE.title + 22 : 14;
  const below = (rotateX ? labelWidth * 0.62 + 14 : LABEL_FONT + 10) + 24;
  const grid = { x, y, width: side, height: side };
  const colorbar = { x: x + side + 20, y, width: 16, height: side };
  const width = Math.ceil(colorbar.x + colorbar.width + 50);
  return { width, height: Math.ceil(y + side + below), cell, grid, colorbar, rotateX };
}

function checkMatrix(matrix: readonly (readonly number[])[], labels?: readonly string[]): void {
  const n = matrix.length;
  if (n === 0) throw new PlotError('plotConfusionMatrix needs a non-empty square matrix, got [].');
  matrix.forEach((row, i) => {
    if (row.length !== n) {
      throw new PlotError(
        `plotConfusionMatrix needs a square matrix: row ${i} has ${row.length} values, expected ${n}.`,
      );
    }
    const bad = row.findIndex((v) => !Number.isFinite(v) || v < 0);
    if (bad >= 0) throw new PlotError(`matrix[${i}][${bad}] = ${row[bad]}; cells must be finite and >= 0.`);
  });
  if (labels && labels.length !== n) {
    throw new PlotError(
      `plotConfusionMatrix got ${labels.length} labels for a ${n} × ${n} matrix; pass ${n}.`,
    );
  }
}

/** sklearn's `normalize`: rows ('true'), columns ('pred') or everything ('all') sum to 1; 0/0 → 0. */
export function normalizeConfusion(
  matrix: readonly (readonly number[])[],
  normalize: 'true' | 'pred' | 'all' | null = null,
): number[][] {
  const total = matrix.flat().reduce((a, b) => a + b, 0);
  const colSum = (j: number) => matrix.reduce((a, row) => a + row[j]!, 0);
  const cols = matrix.map((_, j) => colSum(j));
  const denom = (i: number, j: number): number => {
    if (normalize === 'true') return matrix[i]!.reduce((a, b) => a + b, 0);
    if (normalize === 'pred') return cols[j]!;
    return normalize === 'all' ? total : 1;
  };
  return matrix.map((row, i) => row.map((v, j) => (denom(i, j) === 0 ? 0 : v / denom(i, j))));
}

function formatCell(v: number, normalized: boolean): string {
  if (normalized) return v.toFixed(2);
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(3)));
}

function drawCells(values: number[][], layout: ConfusionMatrixLayout, normalized: boolean): string[] {
  const { cell, grid } = layout;
  const vmax = Math.max(...values.flat()) || 1;
  const font = Math.min(14, Math.max(7, cell * 0.28));
  return values.flatMap((row, i) =>
    row.flatMap((v, j) => {
      const fill = blues(v / vmax);
      const x = grid.x + j * cell;
      const y = grid.y + i * cell;
      const box = rect({ x, y, width: cell, height: cell, fill });
      const label = formatCell(v, normalized);
      if (textWidth(label, font) > cell - 4) return [box];
      const attrs = { 'font-size': num(font), fill: inkOn(fill), 'text-anchor': 'middle' };
      return [box, text(x + cell / 2, y + cell / 2 + font * 0.35, label, attrs)];
    }),
  );
}

function drawAxisLabels(labels: readonly string[], layout: ConfusionMatrixLayout, title: string): string[] {
  const { cell, grid, rotateX } = layout;
  const bottom = grid.y + grid.height;
  const attrs = { 'font-size': LABEL_FONT, fill: '#333333' };
  const out = [rect({ ...grid, fill: 'none', stroke: '#333333' })];
  labels.forEach((l, k) => {
    const c = k * cell + cell / 2;
    out.push(text(grid.x - 6, grid.y + c + LABEL_FONT * 0.35, l, { ...attrs, 'text-anchor': 'end' }));
    const x = grid.x + c;
    const y = bottom + LABEL_FONT + 4;
    const rotate = rotateX ? { 'text-anchor': 'end', transform: `rotate(-45 ${num(x)} ${num(y - 6)})` } : {};
    out.push(text(x, y, l, { ...attrs, 'text-anchor': 'middle', ...rotate }));
  });
  const axis = { 'font-size': FONT_SIZE.label, fill: '#222222', 'text-anchor': 'middle' };
  const cx = grid.x + grid.width / 2;
  const cy = grid.y + grid.height / 2;
  out.push(text(cx, layout.height - 8, 'Predicted label', axis));
  out.push(text(16, cy, 'True label', { ...axis, transform: `rotate(-90 16 ${num(cy)})` }));
  if (title)
    out.push(text(cx, grid.y - 14, title, { ...axis, 'font-size': FONT_SIZE.title, fill: '#111111' }));
  return out;
}

/** A confusion matrix (rows = true class, columns = predicted class) as an SVG heatmap. */
export function plotConfusionMatrix(
  matrix: readonly (readonly number[])[],
  options: ConfusionMatrixPlotOptions = {},
): string {
  checkMatrix(matrix, options.labels);
  const labels = options.labels ?? matrix.map((_, i) => String(i));
  const title = options.title ?? 'Confusion matrix';
  const layout = confusionMatrixLayout(labels, title);
  const normalized = (options.normalize ?? null) !== null;
  const values = normalizeConfusion(matrix, options.normalize);
  const vmax = Math.max(...values.flat()) || 1;
  return svgDocument(layout.width, layout.height, [
    ...drawCells(values, layout, normalized),
    ...drawAxisLabels(labels, layout, title),
    drawColorbar(layout.colorbar, [0, vmax], blues, 'cm'),
  ]);
}
