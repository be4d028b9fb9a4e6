import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PNG } from 'pngjs';
import { plotPrecisionRecall, plotRoc } from './roc-plot.js';
import { svgToPng } from './write-figure.js';

describe('plotRoc', () => {
  it('draws the curve with its AUC and the dashed chance diagonal on [0, 1] axes', () => {
    const svg = plotRoc({ fpr: [0, 0.1, 0.4, 1], tpr: [0, 0.6, 0.9, 1] }, { auc: 0.8512 });
    assert.match(svg, />ROC \(AUC = 0\.851\)</);
    assert.match(svg, />Chance level \(AUC = 0\.5\)</);
    assert.match(svg, /stroke="#7f7f7f"[^>]*stroke-dasharray="6 4"/);
    assert.match(svg, />ROC curve</);
    assert.match(svg, />False positive rate</);
    assert.match(svg, />1\.0</);
    const png = PNG.sync.read(svgToPng(svg));
    assert.deepEqual([png.width, png.height], [480, 460]);
  });

  it('accepts typed arrays and refuses mismatched lengths', () => {
    assert.match(plotRoc({ fpr: new Float32Array([0, 1]), tpr: new Float64Array([0, 1]) }), /<path /);
    assert.throws(() => plotRoc({ fpr: [0, 1], tpr: [0] }), /fpr and tpr of equal length, got 2 and 1/);
  });
});

describe('plotPrecisionRecall', () => {
  it('draws precision against recall with AP and the chance level', () => {
    const svg = plotPrecisionRecall(
      { precision: [0.3, 0.8, 1], recall: [1, 0.5, 0] },
      { ap: 0.75, chanceLevel: 0.3 },
    );
    assert.match(svg, />PR \(AP = 0\.750\)</);
    assert.match(svg, />Chance level \(AP = 0\.30\)</);
    assert.match(svg, />Recall</);
    assert.match(svg, />Precision</);
  });

  it('leaves the chance line out unless asked', () => {
    const svg = plotPrecisionRecall({ precision: [1, 0.5], recall: [0, 1] });
    assert.ok(!svg.includes('Chance level'));
    assert.throws(() => plotPrecisionRecall({ precision: [1], recall: [] }), /equal length/);
  });
});
