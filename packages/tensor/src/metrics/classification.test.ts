import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidArgumentError, OptionsError } from '@dlpipe/core';
import { accuracy, confusionMatrix, precisionRecallF1 } from './classification.js';
import { classificationReport, formatClassificationReport } from './classification-report.js';

/** Asserts numbers (or arrays of numbers) equal within `tol`. */
function close(actual: number | number[], expected: number | number[], tol = 1e-12): void {
  const a = Array.isArray(actual) ? actual : [actual];
  const e = Array.isArray(expected) ? expected : [expected];
  assert.equal(a.length, e.length, `length ${a.length} vs ${e.length}: [${a}] vs [${e}]`);
  for (const [i, v] of a.entries()) {
    assert.ok(Math.abs(v - e[i]!) <= tol, `[${i}] ${v} vs ${e[i]} in [${a}] vs [${e}]`);
  }
}

// Reference values: scikit-learn 1.2.1 (Debian bookworm python3-sklearn), /usr/bin/python3:
//
//   from sklearn.metrics import precision_recall_fscore_support as prfs, confusion_matrix, accuracy_score
//   yt = [0, 1, 2, 2, 1, 0, 1, 2, 0, 1]
//   yp = [0, 1, 1, 0, 1, 0, 1, 3, 0, 0]   # class 2 never predicted, class 3 never true
//   accuracy_score(yt, yp)                              -> 0.6
//   confusion_matrix(yt, yp).tolist()                   -> [[3,0,0,0],[1,3,0,0],[1,1,0,1],[0,0,0,0]]
//   confusion_matrix(yt, yp, labels=[2, 0, 1]).tolist() -> [[0,1,1],[0,3,0],[0,1,3]]
//   prfs(yt, yp, average=avg, zero_division=zd)  for avg in macro/micro/weighted/None, zd in 0/1:
//   0 macro    [0.3375, 0.4375, 0.375, None]
//   0 micro    [0.6, 0.6, 0.6, None]
//   0 weighted [0.48, 0.6, 0.525, None]
//   0 None     [[0.6, 0.75, 0.0, 0.0], [1.0, 0.75, 0.0, 0.0], [0.7499999999999999, 0.75, 0.0, 0.0], [3, 4, 3, 0]]
//   1 macro    [0.5875, 0.6875, 0.375, None]
//   1 micro    [0.6, 0.6, 0.6, None]
//   1 weighted [0.78, 0.6, 0.525, None]
//   1 None     [[0.6, 0.75, 1.0, 0.0], [1.0, 0.75, 0.0, 1.0], [0.7499999999999999, 0.75, 0.0, 0.0], [3, 4, 3, 0]]
//   yb = [1, 0, 1, 1, 0, 0, 1, 0]; pb = [1, 0, 0, 1, 1, 0, 1, 1]
//   prfs(yb, pb, average='binary')              -> (0.6, 0.75, 0.6666666666666665, None)
//   prfs(yb, pb, average='binary', pos_label=0) -> (0.6666666666666666, 0.5, 0.5714285714285715, None)
//   prfs([1, 0, 1, 0], [0, 0, 0, 0], average='binary', zero_division=0) -> (0.0, 0.0, 0.0, None)
//   prfs([1, 0, 1, 0], [0, 0, 0, 0], average='binary', zero_division=1) -> (1.0, 0.0, 0.0, None)
const yt = [0, 1, 2, 2, 1, 0, 1, 2, 0, 1];
const yp = [0, 1, 1, 0, 1, 0, 1, 3, 0, 0];
const yb = [1, 0, 1, 1, 0, 0, 1, 0];
const pb = [1, 0, 0, 1, 1, 0, 1, 1];

describe('accuracy', () => {
  it('matches sklearn accuracy_score', () => {
    close(accuracy(yt, yp), 0.6);
    close(accuracy(Int32Array.from(yt), Float64Array.from(yp)), 0.6);
  });

  it('hand case: 2 of 3 correct', () => close(accuracy([0, 1, 1], [0, 1, 0]), 2 / 3));
});

describe('confusionMatrix', () => {
  it('rows are true classes, columns predicted, labels absent from yPred included (sklearn)', () => {
    assert.deepEqual(confusionMatrix(yt, yp), [
      [3, 0, 0, 0],
      [1, 3, 0, 0],
      [1, 1, 0, 1],
      [0, 0, 0, 0],
    ]);
  });

  it('orders and filters by labels (sklearn labels=[2, 0, 1])', () => {
    assert.deepEqual(confusionMatrix(yt, yp, { labels: [2, 0, 1] }), [
      [0, 1, 1],
      [0, 3, 0],
      [0, 1, 3],
    ]);
  });

  it('numClasses adds classes seen in neither array (hand case)', () => {
    assert.deepEqual(confusionMatrix([0, 1], [0, 0], { numClasses: 3 }), [
      [1, 0, 0],
      [1, 0, 0],
      [0, 0, 0],
    ]);
  });

  it('rejects labels outside numClasses, both options, and labels none of which are in yTrue', () => {
    assert.throws(() => confusionMatrix([0, 3], [0, 1], { numClasses: 3 }), InvalidArgumentError);
    assert.throws(() => confusionMatrix([0, 1], [0, 1], { numClasses: 2, labels: [0, 1] }), OptionsError);
    assert.throws(() => confusionMatrix([0, 1], [0, 1], { labels: [5] }), /none of labels \[5\]/);
    assert.throws(() => confusionMatrix([0, 1], [0, 1], { labels: [5] }), OptionsError);
  });
});

describe('precisionRecallF1', () => {
  it('macro / micro / weighted / none with zeroDivision 0 (sklearn)', () => {
    const macro = precisionRecallF1(yt, yp, { average: 'macro' });
    close([macro.precision, macro.recall, macro.f1], [0.3375, 0.4375, 0.375]);
    assert.equal(macro.support, 10);
    const micro = precisionRecallF1(yt, yp, { average: 'micro' });
    close([micro.precision, micro.recall, micro.f1], [0.6, 0.6, 0.6]);
    const weighted = precisionRecallF1(yt, yp, { average: 'weighted' });
    close([weighted.precision, weighted.recall, weighted.f1], [0.48, 0.6, 0.525]);
    const none = precisionRecallF1(yt, yp, { average: 'none' });
    assert.deepEqual(none.labels, [0, 1, 2, 3]);
    close(none.precision, [0.6, 0.75, 0, 0]);
    close(none.recall, [1, 0.75, 0, 0]);
    close(none.f1, [0.7499999999999999, 0.75, 0, 0]);
    assert.deepEqual(none.support, [3, 4, 3, 0]);
  });

  it('zeroDivision 1 scores the never-predicted / never-true classes as 1 (sklearn)', () => {
    const macro = precisionRecallF1(yt, yp, { average: 'macro', zeroDivision: 1 });
    close([macro.precision, macro.recall, macro.f1], [0.5875, 0.6875, 0.375]);
    const weighted = precisionRecallF1(yt, yp, { average: 'weighted', zeroDivision: 1 });
    close([weighted.precision, weighted.recall, weighted.f1], [0.78, 0.6, 0.525]);
    const none = precisionRecallF1(yt, yp, { average: 'none', zeroDivision: 1 });
    close(none.precision, [0.6, 0.75, 1, 0]);
    close(none.recall, [1, 0.75, 0, 1]);
    close(none.f1, [0.75, 0.75, 0, 0]);
  });

  it('binary, the default average, with posLabel (sklearn)', () => {
    const pos1 = precisionRecallF1(yb, pb);
    close([pos1.precision, pos1.recall, pos1.f1], [0.6, 0.75, 0.6666666666666665]);
    assert.equal(pos1.support, 4);
    const pos0 = precisionRecallF1(yb, pb, { posLabel: 0 });
    close([pos0.precision, pos0.recall, pos0.f1], [0.6666666666666666, 0.5, 0.5714285714285715]);
  });

  it('binary where the positive class is never predicted (sklearn zero_division 0 and 1)', () => {
    const zero = precisionRecallF1([1, 0, 1, 0], [0, 0, 0, 0], { average: 'binary' });
    close([zero.precision, zero.recall, zero.f1], [0, 0, 0]);
    const one = precisionRecallF1([1, 0, 1, 0], [0, 0, 0, 0], { average: 'binary', zeroDivision: 1 });
    close([one.precision, one.recall, one.f1], [1, 0, 0]);
  });

  it('hand case: tp 1, fp 1, fn 1 → P = R = F1 = 0.5', () => {
    const r = precisionRecallF1([1, 1, 0], [1, 0, 1]);
    close([r.precision, r.recall, r.f1], [0.5, 0.5, 0.5]);
  });

  it('rejects binary on multiclass, an absent posLabel, and bad options', () => {
    assert.throws(() => precisionRecallF1(yt, yp), /average 'binary' needs at most 2 classes; received 4/);
    assert.throws(() => precisionRecallF1(yt, yp), OptionsError);
    assert.throws(() => precisionRecallF1([0, 2], [2, 0]), /posLabel 1 is not a present label/);
    assert.throws(() => precisionRecallF1(yt, yp, { average: 'mean' as 'macro' }), OptionsError);
    assert.throws(() => precisionRecallF1(yb, pb, { zeroDivision: 2 as 1 }), OptionsError);
    assert.throws(
      () => precisionRecallF1(yb, pb, { labels: [0, 1] }),
      /labels is not used with average 'binary'; received labels \[0, 1\]/,
    );
  });
});

describe('input validation', () => {
  it('length mismatch is an InvalidArgumentError naming both lengths', () => {
    assert.throws(() => accuracy([0, 1, 1], [0, 1]), {
      name: 'InvalidArgumentError',
      code: 'INVALID_ARGUMENT',
      exitCode: 2,
      message: 'yTrue and yPred must have the same length; received 3 and 2 samples.',
    });
    assert.throws(() => confusionMatrix([0], [0, 1]), InvalidArgumentError);
  });

  it('non-integer labels are an InvalidArgumentError naming the index', () => {
    assert.throws(() => precisionRecallF1([0, 1], [0, 0.5]), {
      name: 'InvalidArgumentError',
      message: 'yPred[1] is 0.5; expected integer class labels (0, 1, 2, …).',
    });
    assert.throws(() => accuracy([0, Number.NaN], [0, 1]), InvalidArgumentError);
  });

  it('empty input and non-arrays are rejected', () => {
    assert.throws(() => accuracy([], []), /yTrue is empty/);
    assert.throws(() => accuracy([], []), InvalidArgumentError);
    assert.throws(() => accuracy({ length: 1 }, [0]), /must be a number\[\] or typed array/);
  });
});

// Reference: sklearn 1.2.1,
//   classification_report(yt, yp, zero_division=0)            (text below, verbatim)
//   classification_report(yt, yp, output_dict=True, zero_division=0)['macro avg']
//     -> {'precision': 0.3375, 'recall': 0.4375, 'f1-score': 0.375, 'support': 10}
//   ... ['weighted avg'] -> {'precision': 0.48, 'recall': 0.6, 'f1-score': 0.525, 'support': 10}; 'accuracy': 0.6
const SKLEARN_REPORT =
  '              precision    recall  f1-score   support\n\n' +
  '           0       0.60      1.00      0.75         3\n' +
  '           1       0.75      0.75      0.75         4\n' +
  '           2       0.00      0.00      0.00         3\n' +
  '           3       0.00      0.00      0.00         0\n\n' +
  '    accuracy                           0.60        10\n' +
  '   macro avg       0.34      0.44      0.38        10\n' +
  'weighted avg       0.48      0.60      0.53        10\n';

describe('classificationReport', () => {
  it('per-class rows, accuracy and averages (sklearn output_dict)', () => {
    const report = classificationReport(yt, yp);
    assert.deepEqual(
      report.classes.map((c) => [c.name, c.support]),
      [
        ['0', 3],
        ['1', 4],
        ['2', 3],
        ['3', 0],
      ],
    );
    close(report.accuracy, 0.6);
    close([report.macroAvg.precision, report.macroAvg.recall, report.macroAvg.f1], [0.3375, 0.4375, 0.375]);
    close(
      [report.weightedAvg.precision, report.weightedAvg.recall, report.weightedAvg.f1],
      [0.48, 0.6, 0.525],
    );
    assert.equal(report.weightedAvg.support, 10);
  });

  it('formats like sklearn classification_report', () => {
    assert.equal(formatClassificationReport(classificationReport(yt, yp)), SKLEARN_REPORT);
  });

  it('uses targetNames and rejects a wrong count', () => {
    const report = classificationReport(yb, pb, { targetNames: ['neg', 'pos'] });
    assert.deepEqual(
      report.classes.map((c) => c.name),
      ['neg', 'pos'],
    );
    assert.throws(() => classificationReport(yb, pb, { targetNames: ['a'] }), /1 names for 2 classes/);
    assert.throws(() => classificationReport(yb, pb, { targetNames: ['a'] }), OptionsError);
  });
});
