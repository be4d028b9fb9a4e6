import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { PNG } from 'pngjs';
import { lineChart } from './line-chart.js';
import { PlotError } from './plot-error.js';
import { svgToPng, writeFigure } from './write-figure.js';

const svg = lineChart({ series: [{ name: 'a', y: [1, 3, 2] }], width: 300, height: 200 });
const dir = mkdtempSync(join(tmpdir(), 'dlpipe-plots-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('svgToPng', () => {
  it('renders at the figure size, or scaled', () => {
    const png = PNG.sync.read(svgToPng(svg));
    assert.deepEqual([png.width, png.height], [300, 200]);
    const big = PNG.sync.read(svgToPng(svg, { scale: 2 }));
    assert.deepEqual([big.width, big.height], [600, 400]);
    assert.throws(() => svgToPng(svg, { scale: 0 }), /scale must be a finite number > 0, got 0/);
  });
});

describe('writeFigure', () => {
  it('writes both PNG and SVG for a path without extension, creating directories', () => {
    const base = join(dir, 'nested', 'deeper', 'curve');
    const written = writeFigure(svg, base);
    assert.deepEqual(written, [`${base}.png`, `${base}.svg`]);
    assert.equal(readFileSync(`${base}.svg`, 'utf8'), svg);
    const png = PNG.sync.read(readFileSync(`${base}.png`));
    assert.deepEqual([png.width, png.height], [300, 200]);
  });

  it('writes only the format its extension names', () => {
    writeFigure(svg, join(dir, 'only.png'));
    writeFigure(svg, join(dir, 'only.svg'));
    assert.ok(existsSync(join(dir, 'only.png')) && existsSync(join(dir, 'only.svg')));
    assert.ok(!existsSync(join(dir, 'only.png.svg')));
    assert.deepEqual([...readFileSync(join(dir, 'only.png')).subarray(1, 4)], [0x50, 0x4e, 0x47]);
  });

  it('refuses other extensions with the accepted ones in the message', () => {
    assert.throws(
      () => writeFigure(svg, join(dir, 'x.jpg')),
      (e: Error) => e instanceof PlotError && /'\.jpg'.*use \.png, \.svg, or no extension/.test(e.message),
    );
    assert.ok(!existsSync(join(dir, 'x.jpg')));
  });
});
