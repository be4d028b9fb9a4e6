/**
 * Attention weights as a heatmap (d2l's `show_heatmaps`): one matrix, queries down the rows and
 * keys across the columns, the Blues colormap of @dlpipe/plot from the smallest to the largest
 * weight, a colorbar, axis labels, and either numeric ticks or a label per row/column (tokens of
 * a translation). Rendered by @dlpipe/plot's `svgDocument`/`writeFigure`.
 *
 *   writeAttentionHeatmap(net.attentionWeights!, 'runs/nw/weights.png', {
 *     xLabel: 'Sorted training inputs', yLabel: 'Sorted testing inputs' });
 *   plotAttentionHeatmap(weights, { rowLabels: ['ils', 'regardent', '.'], colLabels: ['they', 'watch', '.'] });
 */
import { blues, escapeXml, linearTicks, svgDocument, writeFigure } from '@dlpipe/plot';
import { tf } from '@dlpipe/tensor';
import { AttentionError } from './attention-error.js';

export interface AttentionHeatmapOptions {
  /** Column axis label. Default 'Keys' (d2l). */
  xLabel?: string;
  /** Row axis label. Default 'Queries' (d2l). */
  yLabel?: string;
  /** Title above the map. Default: none. */
  title?: string;
  /** One label per row (e.g. target tokens); default: row numbers as ticks. */
  rowLabels?: readonly string[];
  /** One label per column (e.g. source tokens); default: column numbers as ticks. */
  colLabels?: readonly string[];
  /** Color range; default [min, max] of the weights. */
  domain?: readonly [number, number];
}

const FONT = { tick: 11, label: 12, title: 14 } as const;
const INK = '#333333';

type Attrs = Record<string, string | number>;
const r2 = (v: number) => Math.round(v * 100) / 100;
const attrs = (a: Attrs) =>
  Object.entries(a)
    .map(([k, v]) => ` ${k}="${typeof v === 'number' ? r2(v) : escapeXml(v)}"`)
    .join('');
const rect = (a: Attrs) => `<rect${attrs(a)}/>`;
const text = (x: number, y: number, s: string, a: Attrs = {}) =>
  `<text${attrs({ x, y, 'font-size': FONT.tick, fill: INK, ...a })}>${escapeXml(s)}</text>`;
const width = (s: string, size: number) => [...s].length * size * 0.64;

/** The matrix as rows of numbers, checked: 2-D, non-empty, finite, labels of matching counts. */
function rowsOf(matrix: tf.Tensor | readonly (readonly number[])[], o: AttentionHeatmapOptions): number[][] {
  let rows: number[][];
  if (matrix instanceof tf.Tensor) {
    if (matrix.rank !== 2) {
      throw new AttentionError(
        `plotAttentionHeatmap needs a 2-D matrix [queries, keys], got shape [${matrix.shape}]; ` +
          'pick one example/head first (e.g. weights.reshape([-1, keys]) or a slice).',
      );
    }
    rows = matrix.arraySync() as number[][];
  } else rows = matrix.map((r) => [...r]);
  const m = rows[0]?.length ?? 0;
  if (rows.length === 0 || m === 0 || rows.some((r) => r.length !== m)) {
    throw new AttentionError('plotAttentionHeatmap needs a non-empty matrix whose rows have one length.');
  }
  if (rows.some((r) => r.some((v) => !Number.isFinite(v)))) {
    throw new AttentionError('plotAttentionHeatmap: the matrix holds NaN or infinite values.');
  }
  for (const [name, labels, n] of [
    ['rowLabels', o.rowLabels, rows.length],
    ['colLabels', o.colLabels, m],
  ] as const) {
    if (labels && labels.length !== n) {
      throw new AttentionError(
        `plotAttentionHeatmap: ${labels.length} ${name} for ${n} ${name.slice(0, 3)}s; pass ${n}.`,
      );
    }
  }
  return rows;
}

/** Which indices get a tick: all with labels that fit, else every k-th so ticks are ≥ 28 px apart. */
function tickIndices(n: number, cell: number, labels?: readonly string[]): number[] {
  const stride = labels && cell >= FONT.tick ? 1 : Math.max(1, Math.ceil(28 / cell));
  const nice = stride === 1 ? 1 : ([2, 5, 10, 20, 25, 50, 100].find((s) => s >= stride) ?? stride);
  return Array.from({ length: n }, (_, i) => i).filter((i) => i % nice === 0);
}

/** The heatmap as an SVG string. */
export function plotAttentionHeatmap(
  matrix: tf.Tensor | readonly (readonly number[])[],
  options: AttentionHeatmapOptions = {},
): string {
  const rows = rowsOf(matrix, options);
  const n = rows.length;
  const m = rows[0]!.length;
  const cell = Math.min(40, Math.max(4, 420 / Math.max(n, m)));
  const rowText = (i: number) => options.rowLabels?.[i] ?? String(i);
  const colText = (j: number) => options.colLabels?.[j] ?? String(j);
  const rowTicks = tickIndices(n, cell, options.rowLabels);
  const colTicks = tickIndices(m, cell, options.colLabels);
  const colWidth = Math.max(...colTicks.map((j) => width(colText(j), FONT.tick)));
  const rotate = colWidth > cell * Math.max(1, colTicks[1] ?? 1) - 4;
  const left = 26 + Math.max(...rowTicks.map((i) => width(rowText(i), FONT.tick))) + 8;
  const top = options.title ? FONT.title + 20 : 12;
  const grid = { x: left, y: top, width: m * cell, height: n * cell };
  const below = (rotate ? colWidth * 0.72 + 12 : FONT.tick + 8) + FONT.label + 14;
  const bar = { x: grid.x + grid.width + 18, y: grid.y, width: 14, height: Math.max(grid.height, 120) };
  const figW = Math.ceil(bar.x + bar.width + 52);
  const figH = Math.ceil(Math.max(grid.y + grid.height, bar.y + bar.height) + below);

  const values = rows.flat();
  const [lo, hi] = options.domain ?? [Math.min(...values), Math.max(...values)];
  const t = (v: number) => (hi > lo ? (v - lo) / (hi - lo) : 0);
  const out: string[] = [];
  rows.forEach((r, i) => {
    r.forEach((v, j) => {
      out.push(
        rect({
          x: grid.x + j * cell,
          y: grid.y + i * cell,
          width: cell + 0.3,
          height: cell + 0.3,
          fill: blues(t(v)),
        }),
      );
    });
  });
  out.push(rect({ ...grid, fill: 'none', stroke: INK }));
  for (const i of rowTicks) {
    out.push(
      text(grid.x - 5, grid.y + (i + 0.5) * cell + FONT.tick * 0.35, rowText(i), { 'text-anchor': 'end' }),
    );
  }
  const ty = grid.y + grid.height + FONT.tick + 4;
  for (const j of colTicks) {
    const x = grid.x + (j + 0.5) * cell;
    const turn: Attrs = rotate
      ? { 'text-anchor': 'end', transform: `rotate(-45 ${r2(x)} ${r2(ty - 6)})` }
      : {};
    out.push(text(x, ty, colText(j), { 'text-anchor': 'middle', ...turn }));
  }
  const label = { 'font-size': FONT.label, fill: '#222222', 'text-anchor': 'middle' };
  const cy = grid.y + grid.height / 2;
  out.push(text(grid.x + grid.width / 2, figH - 8, options.xLabel ?? 'Keys', label));
  out.push(text(14, cy, options.yLabel ?? 'Queries', { ...label, transform: `rotate(-90 14 ${r2(cy)})` }));
  if (options.title) {
    out.push(
      text(grid.x + grid.width / 2, grid.y - 10, options.title, { ...label, 'font-size': FONT.title }),
    );
  }
  out.push(colorbar(bar, [lo, hi]));
  return svgDocument(figW, figH, out);
}

/** A vertical colorbar from `lo` (bottom) to `hi` (top) with nice ticks on its right. */
function colorbar(
  box: { x: number; y: number; width: number; height: number },
  [lo, hi]: readonly [number, number],
): string {
  const stops = Array.from(
    { length: 17 },
    (_, i) => `<stop${attrs({ offset: i / 16, 'stop-color': blues(i / 16) })}/>`,
  );
  const out = [
    `<defs><linearGradient${attrs({ id: 'attention-bar', x1: 0, y1: 1, x2: 0, y2: 0 })}>${stops.join('')}</linearGradient></defs>`,
    rect({ ...box, fill: 'url(#attention-bar)', stroke: INK }),
  ];
  if (hi > lo) {
    for (const v of linearTicks(lo, hi, Math.max(2, Math.round(box.height / 60)))) {
      const y = box.y + box.height * (1 - (v - lo) / (hi - lo));
      out.push(
        `<line${attrs({ x1: box.x + box.width, y1: y, x2: box.x + box.width + 4, y2: y, stroke: INK })}/>`,
      );
      out.push(text(box.x + box.width + 7, y + FONT.tick * 0.35, String(Number(v.toPrecision(4)))));
    }
  }
  return out.join('');
}

/** Writes the heatmap (PNG or SVG by extension, both without one); returns the paths written. */
export function writeAttentionHeatmap(
  matrix: tf.Tensor | readonly (readonly number[])[],
  path: string,
  options: AttentionHeatmapOptions = {},
): string[] {
  return writeFigure(plotAttentionHeatmap(matrix, options), path);
}
