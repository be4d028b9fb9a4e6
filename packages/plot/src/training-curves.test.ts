import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TAB10 } from './palette.js';
import { isMetricKey, plotTrainingCurves } from './training-curves.js';

const history = [1, 2, 3, 4].map((epoch) => ({
  epoch,
  loss: 1 / epoch,
  val_loss: 1.2 / epoch,
  acc: 1 - 0.5 / epoch,
  val_acc: 1 - 0.6 / epoch,
  lr: 0.1,
}));

describe('plotTrainingCurves', () => {
  it('puts losses and accuracies in two panels side by side', () => {
    const svg = plotTrainingCurves(history, { x: 'epoch', title: 'MLP' });
    assert.match(svg, /width="960" height="400"/);
    assert.ok(svg.includes('id="panel0"') && svg.includes('id="panel1"'));
    assert.match(svg, />loss</);
    assert.match(svg, />metric</);
    assert.match(svg, />MLP</);
  });

  it('gives each key its own tab10 color, dashes val_ keys and leaves lr out', () => {
    const svg = plotTrainingCurves(history, { x: 'epoch' });
    const paths = [...svg.matchAll(/<path [^>]*stroke="(#\w+)"[^>]*?(stroke-dasharray="6 4")?\/>/g)];
    assert.deepEqual(
      paths.map((m) => [m[1], m[2] !== undefined]),
      [
        [TAB10[0], false],
        [TAB10[1], true],
        [TAB10[2], false],
        [TAB10[3], true],
      ],
    );
    assert.ok(!svg.includes('>lr<'));
  });

  it('draws one panel when there are only losses, joining over records without the key', () => {
    const steps = [{ step: 1, loss: 2 }, { step: 2, loss: 1.5 }, { step: 3 }, { step: 4, loss: 1 }] as Array<
      Record<string, number>
    >;
    const svg = plotTrainingCurves(steps, { x: 'step' });
    assert.match(svg, /width="640" height="420"/);
    assert.ok(!svg.includes('id="panel1"'));
    assert.equal(svg.match(/<path /g)?.length, 1, 'one line through steps 1, 2 and 4');
    assert.ok(!svg.includes('<circle'));
  });

  it('fixes the metric axis to [0, 1] when every metric lies in it', () => {
    const svg = plotTrainingCurves(
      [
        { epoch: 1, acc: 0.5 },
        { epoch: 2, acc: 0.6 },
      ],
      { x: 'epoch' },
    );
    assert.match(svg, />1\.0</);
    assert.match(svg, />0\.0</);
  });

  it('explains a missing x key or an empty history', () => {
    assert.throws(() => plotTrainingCurves([], { x: 'epoch' }), /at least one record/);
    assert.throws(() => plotTrainingCurves([{ step: 1, loss: 1 }], { x: 'epoch' }), /pass x: 'step'/);
    assert.throws(() => plotTrainingCurves([{ epoch: 1, lr: 1 }], { x: 'epoch' }), /no curves to plot/);
    const noX = [{ epoch: 1, loss: 1 }, { val_loss: 2 }] as Array<Record<string, number>>;
    assert.ok(
      !plotTrainingCurves(noX, { x: 'epoch' }).includes('val_loss'),
      'a key never logged with x is left out',
    );
  });

  it('sends accuracy-like keys to the metrics panel', () => {
    assert.ok(['acc', 'val_accuracy', 'f1', 'precision', 'recall', 'val_auc'].every(isMetricKey));
    assert.ok(!isMetricKey('val_loss'));
  });
});
