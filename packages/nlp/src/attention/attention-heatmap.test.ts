/**
 * The attention heatmap: one cell per weight colored by @dlpipe/plot's Blues from min to max,
 * token tick labels (escaped), numeric ticks for large maps, a colorbar, PNG and SVG files, and
 * clear errors for matrices it cannot draw.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { blues } from '@dlpipe/plot';
import { initBackend, tf } from '@dlpipe/tensor';
import { AttentionError } from './attention-error.js';
import { plotAttentionHeatmap, writeAttentionHeatmap } from './attention-heatmap.js';

const dir = mkdtempSync(join(tmpdir(), 'attention-heatmap-'));
before(async () => {
  await initBackend();
});
after(() => rmSync(dir, { recursive: true, force: true }));

const cells = (svg: string) => [...svg.matchAll(/<rect [^>]*fill="(#[0-9a-f]{6})"/g)].map((m) => m[1]);

describe('attention heatmap', () => {
  it('draws one cell per weight, lightest at the minimum and darkest at the maximum, with token labels', () => {
    const svg = plotAttentionHeatmap(
      [
        [0.1, 0.9],
        [0.5, 0.5],
        [1, 0],
      ],
      {
        rowLabels: ['ils', 'regardent', '<eos>'],
        colLabels: ['they', 'watch'],
        xLabel: 'Source',
        yLabel: 'Target',
      },
    );
    const fills = cells(svg);
    // the 6 cells in row order (the background is 'white', the frame 'none')
    assert.deepEqual(fills, [blues(0.1), blues(0.9), blues(0.5), blues(0.5), blues(1), blues(0)]);
    for (const s of ['>ils<', '>regardent<', '>&lt;eos&gt;<', '>they<', '>watch<', '>Source<', '>Target<']) {
      assert.ok(svg.includes(s), `missing ${s}`);
    }
    assert.ok(svg.includes('linearGradient'), 'colorbar');
  });

  it("defaults to d2l's axis labels and numeric ticks every few rows of a 50 × 50 map", () => {
    const w = tf.softmax(tf.randomNormal([50, 50]));
    const svg = plotAttentionHeatmap(w);
    assert.equal(cells(svg).length, 2500);
    assert.ok(svg.includes('>Keys<') && svg.includes('>Queries<'));
    assert.ok(svg.includes('>45<') && !svg.includes('>46<'), 'ticks every 5');
  });

  it('writes PNG and SVG', () => {
    const paths = writeAttentionHeatmap([[0.2, 0.8]], join(dir, 'w'), { title: 'a < b' });
    assert.deepEqual(paths, [join(dir, 'w.png'), join(dir, 'w.svg')]);
    assert.deepEqual([...readFileSync(paths[0]!).subarray(1, 4)], [...Buffer.from('PNG')]);
    assert.ok(readFileSync(paths[1]!, 'utf8').includes('a &lt; b'));
  });

  it('refuses what it cannot draw, saying what to pass', () => {
    assert.throws(
      () => plotAttentionHeatmap(tf.zeros([2, 3, 4])),
      /2-D matrix \[queries, keys\], got shape \[2,3,4\]/,
    );
    assert.throws(() => plotAttentionHeatmap([[1, 2], [3]]), AttentionError);
    assert.throws(() => plotAttentionHeatmap([]), /non-empty/);
    assert.throws(() => plotAttentionHeatmap([[Number.NaN]]), /NaN/);
    assert.throws(
      () => plotAttentionHeatmap([[1, 2]], { colLabels: ['a'] }),
      /1 colLabels for 2 cols; pass 2/,
    );
  });
});
