import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { barChart } from './bar-chart.js';
import { PlotError } from './plot-error.js';
import { svgToPng } from './write-figure.js';

describe('barChart', () => {
  const svg = barChart({
    title: 'Test accuracy',
    bars: [
      { label: 'labeled only', value: 0.5 },
      { label: 'self-trained', value: 0.75 },
      { label: 'fully supervised', value: 1 },
    ],
    max: 1,
    reference: { value: 0.1, label: 'chance' },
    width: 640,
  });

  it('draws bars whose lengths are proportional to the values, with the values printed', () => {
    const widths = [...svg.matchAll(/<rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)" height="30"/g)].map((m) =>
      Number(m[2]),
    );
    assert.equal(widths.length, 3);
    assert.ok(Math.abs(widths[0]! / widths[2]! - 0.5) < 1e-9, `${widths}`);
    assert.ok(Math.abs(widths[1]! / widths[2]! - 0.75) < 1e-9, `${widths}`);
    for (const t of ['0.500', '0.750', '1.000', 'self-trained', 'chance', 'Test accuracy'])
      assert.ok(svg.includes(t), t);
  });

  it('renders to PNG', () => {
    const png = svgToPng(svg);
    assert.deepEqual([...png.subarray(1, 4)], [0x50, 0x4e, 0x47]);
  });

  it('escapes labels and refuses bad values', () => {
    assert.ok(barChart({ bars: [{ label: 'a<b', value: 1 }] }).includes('a&lt;b'));
    assert.throws(() => barChart({ bars: [] }), PlotError);
    assert.throws(() => barChart({ bars: [{ label: 'x', value: Number.NaN }] }), /bar 'x' has value NaN/);
  });
});
