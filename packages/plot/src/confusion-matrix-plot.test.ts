import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PNG } from 'pngjs';
import { confusionMatrixLayout, normalizeConfusion, plotConfusionMatrix } from './confusion-matrix-plot.js';
import { blues, hexToRgb, luminance } from './palette.js';
import { svgToPng } from './write-figure.js';

const cm = [
  [5, 1, 0],
  [2, 30, 4],
  [0, 3, 12],
];

function pixelHex(png: PNG, x: number, y: number): string {
  const i = (png.width * Math.round(y) + Math.round(x)) * 4;
  return `#${[0, 1, 2].map((k) => png.data[i + k]!.toString(16).padStart(2, '0')).join('')}`;
}

describe('plotConfusionMatrix', () => {
  it('paints the biggest count darkest, each cell in its Blues color', () => {
    const png = PNG.sync.read(svgToPng(plotConfusionMatrix(cm)));
    const { grid, cell, width, height } = confusionMatrixLayout(['0', '1', '2'], 'Confusion matrix');
    assert.deepEqual([png.width, png.height], [width, height]);
    // Sample a fifth of a cell in from its top-left corner: inside the cell, clear of the centered text.
    const at = (i: number, j: number) => pixelHex(png, grid.x + (j + 0.2) * cell, grid.y + (i + 0.2) * cell);
    const lum = cm.map((row, i) => row.map((_, j) => luminance(at(i, j))));
    const darkest = lum.flat().indexOf(Math.min(...lum.flat()));
    assert.equal(darkest, 4, 'cell (1, 1) holds 30, the biggest count');
    for (const [i, row] of cm.entries()) {
      for (const [j, v] of row.entries()) {
        const want = hexToRgb(blues(v / 30));
        const got = hexToRgb(at(i, j));
        assert.ok(
          got.every((c, k) => Math.abs(c - want[k]!) <= 3),
          `cell (${i}, ${j}): ${at(i, j)} vs ${blues(v / 30)}`,
        );
      }
    }
  });

  it('writes counts in the cells, white on dark cells, with sklearn axis titles', () => {
    const svg = plotConfusionMatrix(cm, { labels: ['cat', 'dog', 'bird'] });
    assert.match(svg, /fill="white"[^>]*>30</);
    assert.match(svg, /fill="#222222"[^>]*>1</);
    assert.match(svg, />True label</);
    assert.match(svg, />Predicted label</);
    assert.match(svg, />bird</);
  });

  it('normalizes over true rows, predicted columns or everything, like sklearn', () => {
    assert.deepEqual(
      normalizeConfusion(
        [
          [1, 3],
          [0, 0],
        ],
        'true',
      ),
      [
        [0.25, 0.75],
        [0, 0],
      ],
    );
    assert.deepEqual(
      normalizeConfusion(
        [
          [1, 3],
          [1, 1],
        ],
        'pred',
      ),
      [
        [0.5, 0.75],
        [0.5, 0.25],
      ],
    );
    assert.deepEqual(
      normalizeConfusion(
        [
          [1, 3],
          [0, 4],
        ],
        'all',
      ),
      [
        [0.125, 0.375],
        [0, 0.5],
      ],
    );
    assert.match(
      plotConfusionMatrix(
        [
          [1, 3],
          [0, 4],
        ],
        { normalize: 'true' },
      ),
      />0\.75</,
    );
  });

  it('rotates long column labels and keeps short ones level', () => {
    assert.equal(confusionMatrixLayout(['a', 'b'], undefined).rotateX, false);
    const long = Array.from({ length: 10 }, (_, i) => `class number ${i}`);
    assert.equal(confusionMatrixLayout(long, undefined).rotateX, true);
  });

  it('refuses ragged, negative or mislabelled matrices', () => {
    assert.throws(() => plotConfusionMatrix([]), /non-empty square/);
    assert.throws(() => plotConfusionMatrix([[1, 2], [3]]), /row 1 has 1 values, expected 2/);
    assert.throws(
      () =>
        plotConfusionMatrix([
          [1, -2],
          [3, 4],
        ]),
      /matrix\[0\]\[1\] = -2/,
    );
    assert.throws(() => plotConfusionMatrix([[1]], { labels: ['a', 'b'] }), /2 labels for a 1 × 1 matrix/);
  });

  it('draws an all-zero matrix without dividing by zero', () => {
    assert.doesNotThrow(() =>
      svgToPng(
        plotConfusionMatrix([
          [0, 0],
          [0, 0],
        ]),
      ),
    );
  });
});
