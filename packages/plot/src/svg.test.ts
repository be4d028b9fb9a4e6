import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Resvg } from '@resvg/resvg-js';
import { plotConfusionMatrix } from './confusion-matrix-plot.js';
import { lineChart } from './line-chart.js';
import { plotRoc } from './roc-plot.js';
import { el, escapeXml, num, svgDocument, text } from './svg.js';
import { plotTrainingCurves } from './training-curves.js';

/** Throws unless every tag closes in order, text holds no raw `<` or stray `&`, and resvg parses it. */
function assertWellFormed(svg: string): void {
  assert.doesNotThrow(() => new Resvg(svg));
  const stack: string[] = [];
  const tokens = svg.split(/(<[^>]*>)/).filter((t) => t !== '');
  for (const t of tokens) {
    if (!t.startsWith('<')) {
      assert.doesNotMatch(t, /[<>]|&(?!(amp|lt|gt|quot|apos);)/, `raw markup in text: ${t}`);
    } else if (t.startsWith('</')) {
      assert.equal(t.slice(2, -1), stack.pop(), `mismatched ${t}`);
    } else if (!t.endsWith('/>')) {
      stack.push(/^<([\w:-]+)/.exec(t)![1]!);
    }
  }
  assert.deepEqual(stack, [], 'unclosed tags');
}

describe('svg helpers', () => {
  it('escapes the XML specials', () => {
    assert.equal(escapeXml(`a < b & c > "d" 'e'`), 'a &lt; b &amp; c &gt; &quot;d&quot; &apos;e&apos;');
  });

  it('escapes text content and attribute values', () => {
    assert.equal(text(1, 2, 'x<y'), '<text x="1" y="2">x&lt;y</text>');
    assert.equal(el('g', { id: 'a"b' }), '<g id="a&quot;b"/>');
  });

  it('rounds coordinates to 2 decimals and never writes -0', () => {
    assert.equal(num(1.23456), '1.23');
    assert.equal(num(-0.001), '0');
  });

  it('builds a document with a size, viewBox and white background', () => {
    const doc = svgDocument(100, 50, []);
    assert.match(
      doc,
      /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="100" height="50" viewBox="0 0 100 50"/,
    );
    assert.match(doc, /<rect x="0" y="0" width="100" height="50" fill="white"\/>/);
    assertWellFormed(doc);
  });
});

describe('every figure is well-formed SVG with escaped text', () => {
  const evil = 'a <b> & "c"';
  const figures = {
    lineChart: lineChart({ title: evil, xLabel: evil, yLabel: evil, series: [{ name: evil, y: [1, 2, 3] }] }),
    trainingCurves: plotTrainingCurves([{ epoch: 1, loss: 1, acc: 0.5 }], { x: 'epoch', title: evil }),
    roc: plotRoc({ fpr: [0, 1], tpr: [0, 1] }, { title: evil, name: evil }),
    confusionMatrix: plotConfusionMatrix(
      [
        [1, 2],
        [3, 4],
      ],
      { title: evil, labels: [evil, '<&>'] },
    ),
  };
  for (const [name, svg] of Object.entries(figures)) {
    it(name, () => {
      assertWellFormed(svg);
      assert.ok(svg.includes('a &lt;b&gt; &amp; &quot;c&quot;'), 'escaped title');
      assert.ok(!svg.includes(evil), 'no raw title');
    });
  }
});
