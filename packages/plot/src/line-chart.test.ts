import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PNG } from 'pngjs';
import { type LineChartOptions, layoutLineChart, lineChart } from './line-chart.js';
import { hexToRgb, TAB10 } from './palette.js';
import { PlotError } from './plot-error.js';
import { svgToPng } from './write-figure.js';

function pixel(png: PNG, x: number, y: number): [number, number, number] {
  const i = (png.width * Math.round(y) + Math.round(x)) * 4;
  return [png.data[i]!, png.data[i + 1]!, png.data[i + 2]!];
}

/** Whether a pixel within `r` px of (x, y) is within `tol` of `rgb` (per channel). */
function colorNear(png: PNG, x: number, y: number, rgb: readonly number[], r = 2, tol = 40): boolean {
  for (let dy = -r; dy <= r; dy++) {
    for (let dx = -r; dx <= r; dx++) {
      if (pixel(png, x + dx, y + dy).every((c, k) => Math.abs(c - rgb[k]!) <= tol)) return true;
    }
  }
  return false;
}

describe('lineChart', () => {
  it('draws y = x along the diagonal in the series color', () => {
    const t = Array.from({ length: 101 }, (_, i) => i / 100);
    const o: LineChartOptions = { series: [{ name: 'y = x', x: t, y: t }], legend: false };
    const png = PNG.sync.read(svgToPng(lineChart(o)));
    const { xScale, yScale } = layoutLineChart(o);
    const blue = hexToRgb(TAB10[0]!);
    for (const v of [0.1, 0.3, 0.5, 0.7, 0.9]) {
      assert.ok(colorNear(png, xScale.map(v), yScale.map(v), blue), `series color at (${v}, ${v})`);
      assert.ok(
        !colorNear(png, xScale.map(v), yScale.map(1 - v), blue, 1) || v === 0.5,
        `nothing at (${v}, ${1 - v})`,
      );
    }
  });

  it('uses 640 × 420 by default and the tab10 colors in order', () => {
    const svg = lineChart({
      series: [
        { name: 'a', y: [1, 2] },
        { name: 'b', y: [2, 1] },
      ],
    });
    assert.match(svg, /width="640" height="420"/);
    assert.ok(svg.includes(`stroke="${TAB10[0]}"`) && svg.includes(`stroke="${TAB10[1]}"`));
  });

  it('skips NaN and Infinity, breaking the line there', () => {
    const svg = lineChart({ series: [{ name: 'a', y: [1, 2, Number.NaN, 3, 4, Number.POSITIVE_INFINITY] }] });
    assert.equal(svg.match(/<path /g)?.length, 2);
  });

  it('draws a lone point as a dot and widens its axes', () => {
    const o: LineChartOptions = { series: [{ name: 'one', x: [3], y: [7] }] };
    const svg = lineChart(o);
    assert.match(svg, /<circle /);
    const { xScale, yScale } = layoutLineChart(o);
    assert.ok(xScale.domain[0] < 3 && xScale.domain[1] > 3);
    assert.ok(yScale.domain[0] < 7 && yScale.domain[1] > 7);
  });

  it('gives a constant series a non-degenerate y axis', () => {
    const { yScale } = layoutLineChart({ series: [{ name: 'c', y: [0.5, 0.5, 0.5] }] });
    assert.ok(yScale.domain[0] < 0.5 && yScale.domain[1] > 0.5);
    assert.ok(yScale.ticks.length >= 2);
  });

  it('draws log-log axes (x defaults to ranks 1, 2, …)', () => {
    const counts = Array.from({ length: 1000 }, (_, i) => 1e5 / (i + 1));
    const o: LineChartOptions = { series: [{ name: 'zipf', y: counts }], logX: true, logY: true };
    const { xScale, yScale } = layoutLineChart(o);
    assert.deepEqual(xScale.ticks, [1, 10, 100, 1000]);
    assert.deepEqual(yScale.ticks, [100, 1000, 10000, 100000]);
    assert.match(lineChart(o), /10⁵/);
  });

  it('refuses values <= 0 on a log axis, naming the series and index', () => {
    const o: LineChartOptions = { series: [{ name: 'freq', y: [10, 0, 1] }], logY: true };
    assert.throws(
      () => lineChart(o),
      (e: Error) => e instanceof PlotError && /'freq' has y\[1\] = 0/.test(e.message),
    );
    const x: LineChartOptions = { series: [{ name: 'r', x: [0, 1], y: [1, 2] }], logX: true };
    assert.throws(() => lineChart(x), /x\[0\] = 0 on a log x axis/);
  });

  it('says clearly what is wrong with empty or ragged data', () => {
    assert.throws(() => lineChart({ series: [] }), /at least one series/);
    assert.throws(() => lineChart({ series: [{ name: 'e', y: [] }] }), /'e' is empty/);
    assert.throws(() => lineChart({ series: [{ name: 'n', y: [Number.NaN] }] }), /'n' has no finite points/);
    assert.throws(
      () => lineChart({ series: [{ name: 'r', x: [1, 2], y: [1] }] }),
      /2 x values and 1 y values/,
    );
    assert.throws(
      () => lineChart({ series: [{ name: 's', y: [1, 2] }], width: 60, height: 40 }),
      /make the figure larger/,
    );
  });

  it('draws dashed series dashed, in the legend too', () => {
    const svg = lineChart({ series: [{ name: 'val', y: [1, 2], dashed: true }] });
    assert.equal(svg.match(/stroke-dasharray="6 4"/g)?.length, 2);
  });
});
