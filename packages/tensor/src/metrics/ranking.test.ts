import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidArgumentError, OptionsError } from '@dlpipe/core';
import { ShapeMismatchError } from '../errors.js';
import { auc, averagePrecision, precisionRecallCurve, rocAucScore, rocCurve } from './ranking.js';

function close(actual: number | number[], expected: number | number[], tol = 1e-12): void {
  const a = Array.isArray(actual) ? actual : [actual];
  const e = Array.isArray(expected) ? expected : [expected];
  assert.equal(a.length, e.length, `length ${a.length} vs ${e.length}: [${a}] vs [${e}]`);
  for (const [i, v] of a.entries()) {
    assert.ok(v === e[i] || Math.abs(v - e[i]!) <= tol, `[${i}] ${v} vs ${e[i]}: [${a}] vs [${e}]`);
  }
}

const INF = Number.POSITIVE_INFINITY;

// Reference values: scikit-learn 1.2.1 (Debian python3-sklearn), /usr/bin/python3. sklearn 1.2
// returns thresholds[0] = max(score) + 1; sklearn >= 1.3 returns np.inf there, so the first
// threshold below is written as Infinity and the rest are sklearn's values verbatim.
//
//   from sklearn.metrics import roc_curve, roc_auc_score, precision_recall_curve, average_precision_score
//   y = [0, 0, 1, 1, 1, 0, 1, 0]
//   s = [0.1, 0.4, 0.35, 0.8, 0.4, 0.4, 0.9, 0.1]          # ties at 0.4 (1 pos, 2 neg) and 0.1
//   roc_curve(y, s)   # drop_intermediate True and False give the same here
//     fpr [0.0, 0.0, 0.0, 0.5, 0.5, 1.0]  tpr [0.0, 0.25, 0.5, 0.75, 1.0, 1.0]
//     thresholds [1.9, 0.9, 0.8, 0.4, 0.35, 0.1]
//   roc_auc_score(y, s)                -> 0.8125
//   precision_recall_curve(y, s)
//     precision [0.5, 0.6666666666666666, 0.6, 1.0, 1.0, 1.0]  recall [1.0, 1.0, 0.75, 0.5, 0.25, 0.0]
//     thresholds [0.1, 0.35, 0.4, 0.8, 0.9]
//   average_precision_score(y, s)      -> 0.8166666666666667
const y1 = [0, 0, 1, 1, 1, 0, 1, 0];
const s1 = [0.1, 0.4, 0.35, 0.8, 0.4, 0.4, 0.9, 0.1];

//   y2 = [1, 1, 1, 0, 0, 1, 0, 0, 1, 0]
//   s2 = [0.9, 0.8, 0.7, 0.6, 0.5, 0.5, 0.3, 0.2, 0.2, 0.1]  # 0.9, 0.8, 0.7 are collinear
//   roc_curve(y2, s2, drop_intermediate=True)
//     fpr [0.0, 0.0, 0.0, 0.2, 0.4, 0.6, 0.8, 1.0]  tpr [0.0, 0.2, 0.6, 0.6, 0.8, 0.8, 1.0, 1.0]
//     thresholds [1.9, 0.9, 0.7, 0.6, 0.5, 0.3, 0.2, 0.1]
//   roc_curve(y2, s2, drop_intermediate=False)
//     fpr [0.0, 0.0, 0.0, 0.0, 0.2, 0.4, 0.6, 0.8, 1.0]  tpr [0.0, 0.2, 0.4, 0.6, 0.6, 0.8, 0.8, 1.0, 1.0]
//     thresholds [1.9, 0.9, 0.8, 0.7, 0.6, 0.5, 0.3, 0.2, 0.1]
//   roc_auc_score(y2, s2)              -> 0.8
//   precision_recall_curve(y2, s2)
//     precision [0.5, 0.5555555555555556, 0.5714285714285714, 0.6666666666666666, 0.75, 1.0, 1.0, 1.0, 1.0]
//     recall [1.0, 1.0, 0.8, 0.8, 0.6, 0.6, 0.4, 0.2, 0.0]
//     thresholds [0.1, 0.2, 0.3, 0.5, 0.6, 0.7, 0.8, 0.9]
//   average_precision_score(y2, s2)    -> 0.8444444444444444
const y2 = [1, 1, 1, 0, 0, 1, 0, 0, 1, 0];
const s2 = [0.9, 0.8, 0.7, 0.6, 0.5, 0.5, 0.3, 0.2, 0.2, 0.1];

//   rng = np.random.default_rng(7); yr = rng.integers(0, 2, 30); sr = np.round(rng.random(30), 1)
//   roc_auc_score(yr, sr) -> 0.6288888888888888     average_precision_score(yr, sr) -> 0.6883597883597883
//   roc_curve(yr, sr): fpr [0.0, 0.0, 0.0, 0.13333333333333333, 0.2, 0.3333333333333333,
//     0.5333333333333333, 0.6666666666666666, 0.8, 1.0], tpr [0.0, 0.13333333333333333,
//     0.26666666666666666, 0.3333333333333333, 0.3333333333333333, 0.5333333333333333,
//     0.6666666666666666, 0.6666666666666666, 0.9333333333333333, 1.0],
//     thresholds [2.0, 1.0, 0.9, 0.8, 0.7, 0.6, 0.5, 0.3, 0.2, 0.0]
// biome-ignore format: reference data
const yr = [1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 1, 0, 0, 0, 1, 0, 1, 0, 0, 1];
// biome-ignore format: reference data
const sr = [0.6, 1.0, 0.8, 0.6, 1.0, 0.2, 0.2, 0.6, 0.0, 0.0, 0.5, 0.5, 0.9, 0.6, 0.5, 0.5, 0.2, 0.0, 0.2, 0.7, 0.2, 0.4, 0.0, 0.8, 0.2, 0.3, 0.9, 0.5, 0.8, 0.6];

describe('rocCurve', () => {
  it('tied scores form one point (sklearn, thresholds[0] = Infinity as sklearn >= 1.3)', () => {
    const roc = rocCurve(y1, s1);
    close(roc.fpr, [0, 0, 0, 0.5, 0.5, 1]);
    close(roc.tpr, [0, 0.25, 0.5, 0.75, 1, 1]);
    close(roc.thresholds, [INF, 0.9, 0.8, 0.4, 0.35, 0.1]);
  });

  it('dropIntermediate true drops the collinear point at 0.8 (sklearn)', () => {
    const roc = rocCurve(y2, s2);
    close(roc.fpr, [0, 0, 0, 0.2, 0.4, 0.6, 0.8, 1]);
    close(roc.tpr, [0, 0.2, 0.6, 0.6, 0.8, 0.8, 1, 1]);
    close(roc.thresholds, [INF, 0.9, 0.7, 0.6, 0.5, 0.3, 0.2, 0.1]);
  });

  it('dropIntermediate false keeps every distinct score (sklearn)', () => {
    const roc = rocCurve(y2, s2, { dropIntermediate: false });
    close(roc.fpr, [0, 0, 0, 0, 0.2, 0.4, 0.6, 0.8, 1]);
    close(roc.tpr, [0, 0.2, 0.4, 0.6, 0.6, 0.8, 0.8, 1, 1]);
    close(roc.thresholds, [INF, 0.9, 0.8, 0.7, 0.6, 0.5, 0.3, 0.2, 0.1]);
  });

  it('30 samples with many ties (sklearn)', () => {
    const roc = rocCurve(yr, sr);
    const f = 1 / 15;
    close(roc.fpr, [0, 0, 0, 2 * f, 3 * f, 5 * f, 8 * f, 10 * f, 12 * f, 1], 1e-15);
    close(roc.tpr, [0, 2 * f, 4 * f, 5 * f, 5 * f, 8 * f, 10 * f, 10 * f, 14 * f, 1], 1e-15);
    close(roc.thresholds, [INF, 1, 0.9, 0.8, 0.7, 0.6, 0.5, 0.3, 0.2, 0]);
  });

  it('posLabel picks the positive class; labels outside {0,1} need it (sklearn)', () => {
    const flipped = rocCurve(
      y1.map((y) => 1 - y),
      s1,
      { posLabel: 0 },
    );
    assert.deepEqual(flipped, rocCurve(y1, s1));
    assert.throws(() => rocCurve([0, 2, 2], [0.1, 0.2, 0.3]), /not \{0, 1\} or \{-1, 1\}; pass posLabel/);
    assert.throws(() => rocCurve([0, 2, 2], [0.1, 0.2, 0.3]), InvalidArgumentError);
    assert.throws(() => rocCurve([0, 1, 1], [0.1, 0.2, 0.3], { posLabel: 7 }), OptionsError);
    // sklearn 1.2.1: roc_curve([3, 7, 7], [0.1, 0.2, 0.3], pos_label=7)
    //   -> fpr [0, 0, 0, 1], tpr [0, 0.5, 1, 1], thresholds [1.3 (inf in >= 1.3), 0.3, 0.2, 0.1]
    assert.deepEqual(rocCurve([3, 7, 7], [0.1, 0.2, 0.3], { posLabel: 7 }), {
      fpr: [0, 0, 0, 1],
      tpr: [0, 0.5, 1, 1],
      thresholds: [INF, 0.3, 0.2, 0.1],
    });
  });
});

describe('rocAucScore', () => {
  it('matches sklearn roc_auc_score with ties', () => {
    close(rocAucScore(y1, s1), 0.8125);
    close(rocAucScore(y2, s2), 0.8);
    close(rocAucScore(yr, Float32Array.from(sr)), 0.6288888888888888, 1e-9);
    close(rocAucScore(yr, sr), 0.6288888888888888);
  });

  it('hand case: P(score⁺ > score⁻) + ½ P(tie) — 3 of 4 pairs ordered, 1 tied → 0.875', () => {
    // pairs (pos, neg): (0.8, 0.1) > , (0.8, 0.5) > , (0.5, 0.1) > , (0.5, 0.5) tie
    close(rocAucScore([0, 0, 1, 1], [0.1, 0.5, 0.5, 0.8]), 0.875);
  });

  it('equals the Mann–Whitney U / (n⁺ n⁻) with ties as ½ on seeded random data', () => {
    let seed = 12345;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let trial = 0; trial < 20; trial++) {
      const y = Array.from({ length: 60 }, (_, i) => (i < 2 ? i : rand() < 0.4 ? 1 : 0));
      const s = y.map(() => Math.round(rand() * 8) / 8); // few distinct values: many ties
      let u = 0;
      let pairs = 0;
      y.forEach((yi, i) => {
        if (yi !== 1) return;
        y.forEach((yj, j) => {
          if (yj !== 0) return;
          pairs++;
          u += s[i]! > s[j]! ? 1 : s[i] === s[j] ? 0.5 : 0;
        });
      });
      close(rocAucScore(y, s), u / pairs, 1e-12);
    }
  });

  // sklearn 1.2.1:
  //   y = [0, 1, 2, 2, 1, 0, 2, 1, 0, 2]
  //   P = [[0.7, 0.2, 0.1], [0.2, 0.5, 0.3], [0.1, 0.3, 0.6], [0.3, 0.3, 0.4], [0.4, 0.4, 0.2],
  //        [0.5, 0.3, 0.2], [0.2, 0.2, 0.6], [0.3, 0.4, 0.3], [0.3, 0.3, 0.4], [0.4, 0.2, 0.4]]
  //   roc_auc_score(y, P, multi_class='ovr', average='macro')    -> 0.9384920634920636
  //   roc_auc_score(y, P, multi_class='ovr', average='weighted') -> 0.9404761904761905
  //   per class [roc_auc_score(np.array(y) == k, np.array(P)[:, k]) for k in range(3)]
  //     -> [0.8571428571428571, 1.0, 0.9583333333333334]
  const yMulti = [0, 1, 2, 2, 1, 0, 2, 1, 0, 2];
  // biome-ignore format: reference data
  const pMulti = [[0.7, 0.2, 0.1], [0.2, 0.5, 0.3], [0.1, 0.3, 0.6], [0.3, 0.3, 0.4], [0.4, 0.4, 0.2],
    [0.5, 0.3, 0.2], [0.2, 0.2, 0.6], [0.3, 0.4, 0.3], [0.3, 0.3, 0.4], [0.4, 0.2, 0.4]];

  it('multiclass one-vs-rest, macro and weighted (sklearn)', () => {
    close(rocAucScore(yMulti, pMulti), 0.9384920634920636);
    close(rocAucScore(yMulti, pMulti, { multiClass: 'ovr', average: 'macro' }), 0.9384920634920636);
    close(rocAucScore(yMulti, pMulti, { multiClass: 'ovr', average: 'weighted' }), 0.9404761904761905);
    close(
      rocAucScore(
        yMulti,
        pMulti.map((r) => Float32Array.from(r)),
      ),
      0.9384920634920636,
      1e-7,
    );
  });

  it('multiclass rejects rows that are not probabilities and a column count that does not fit', () => {
    assert.throws(
      () =>
        rocAucScore(
          [0, 1, 2],
          [
            [1, 2, 3],
            [0, 1, 0],
            [0, 0, 1],
          ],
        ),
      /sums to 6/,
    );
    assert.throws(
      () =>
        rocAucScore(
          [0, 1, 1],
          [
            [0.5, 0.25, 0.25],
            [0, 1, 0],
            [0, 0, 1],
          ],
        ),
      /2 classes .* 3 columns/,
    );
    const threeColumns = [
      [0.5, 0.25, 0.25],
      [0, 1, 0],
      [0, 0, 1],
    ];
    assert.throws(() => rocAucScore([0, 1, 1], threeColumns), ShapeMismatchError);
    assert.throws(() => rocAucScore([0, 1, 2], [0.1, 0.2, 0.3]), /3 classes .* 2-D array/);
  });

  it('throws when yTrue holds one class only (sklearn raises)', () => {
    assert.throws(() => rocAucScore([1, 1, 1], [0.2, 0.5, 0.9]), {
      name: 'InvalidArgumentError',
      message: 'only one class ([1]) is present in yTrue; expected both a positive and a negative class.',
    });
    assert.throws(() => rocCurve([0, 0], [0.2, 0.5]), /only one class/);
    assert.throws(() => averagePrecision([0, 0], [0.2, 0.5]), /only one class/);
  });

  it('rejects length mismatch, non-integer labels and non-finite scores', () => {
    assert.throws(() => rocAucScore([0, 1, 1], [0.1, 0.2]), /same length; received 3 and 2/);
    assert.throws(() => rocAucScore([0, 0.5], [0.1, 0.2]), InvalidArgumentError);
    assert.throws(() => rocAucScore([0, 1], [0.1, Number.NaN]), /scores\[1\] is NaN/);
  });
});

describe('precisionRecallCurve and averagePrecision', () => {
  it('PR curve with ties (sklearn)', () => {
    const pr = precisionRecallCurve(y1, s1);
    close(pr.precision, [0.5, 0.6666666666666666, 0.6, 1, 1, 1]);
    close(pr.recall, [1, 1, 0.75, 0.5, 0.25, 0]);
    close(pr.thresholds, [0.1, 0.35, 0.4, 0.8, 0.9]);
  });

  it('PR curve ending with precision 1, recall 0, thresholds ascending (sklearn)', () => {
    const pr = precisionRecallCurve(y2, s2);
    close(pr.precision, [0.5, 0.5555555555555556, 0.5714285714285714, 0.6666666666666666, 0.75, 1, 1, 1, 1]);
    close(pr.recall, [1, 1, 0.8, 0.8, 0.6, 0.6, 0.4, 0.2, 0]);
    close(pr.thresholds, [0.1, 0.2, 0.3, 0.5, 0.6, 0.7, 0.8, 0.9]);
  });

  it('average precision (sklearn average_precision_score)', () => {
    close(averagePrecision(y1, s1), 0.8166666666666667);
    close(averagePrecision(y2, s2), 0.8444444444444444);
    close(averagePrecision(yr, sr), 0.6883597883597883);
  });

  it('hand case: sklearn docstring y=[0,0,1,1], s=[0.1,0.4,0.35,0.8] → AP = ½·1 + ½·⅔ = 0.8333', () => {
    close(averagePrecision([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]), 0.5 + 1 / 3);
  });
});

describe('auc', () => {
  it('trapezoids, increasing or decreasing x (hand cases)', () => {
    close(auc([0, 1, 2], [0, 1, 1]), 1.5);
    close(auc([2, 1, 0], [1, 1, 0]), 1.5);
    assert.throws(() => auc([0, 2, 1], [0, 1, 1]), /monotonic/);
  });
});
