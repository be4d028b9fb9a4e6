import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LabelEncoder, readCsv } from '@dlpipe/data';
import { type Classifier, type Matrix, uniqueLabels } from './classifiers/classifier.js';
import { LogisticRegression } from './classifiers/logistic-regression.js';
import { SelfTrainingClassifier, topK } from './self-training.js';

const iris = await readCsv(new URL('../../../data/label/iris.csv', import.meta.url).pathname);
const X = iris.toMatrix(['sepal_length', 'sepal_width', 'petal_length', 'petal_width']);
const yTrue = new LabelEncoder().fitTransform(iris.strings('species'));
/** The reference fixture: iris with rows i where (7·i) mod 10 < 7 unlabeled (105 of 150). */
const y = Int32Array.from(yTrue, (v, i) => ((i * 7) % 10 < 7 ? -1 : v));

/**
 * scikit-learn's GaussianNB (var_smoothing 1e-9), written here as a base classifier so that the
 * self-training loop can be compared with scikit-learn's on identical probabilities.
 */
class GaussianNB implements Classifier<Matrix> {
  classes: number[] = [];
  private theta: number[][] = [];
  private sigma: number[][] = [];
  private logPrior: number[] = [];
  fit(X: Matrix, y: ArrayLike<number>): this {
    const [n, d] = X.shape;
    const col = (j: number, rows: number[]) => rows.map((i) => X.data[i * d + j]!);
    const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
    const variance = (v: number[]) => mean(v.map((x) => (x - mean(v)) ** 2));
    const all = Array.from({ length: n }, (_, i) => i);
    const eps = 1e-9 * Math.max(...Array.from({ length: d }, (_, j) => variance(col(j, all))));
    this.classes = uniqueLabels(y);
    const rows = this.classes.map((c) => all.filter((i) => y[i] === c));
    this.theta = rows.map((r) => Array.from({ length: d }, (_, j) => mean(col(j, r))));
    this.sigma = rows.map((r) => Array.from({ length: d }, (_, j) => variance(col(j, r)) + eps));
    this.logPrior = rows.map((r) => Math.log(r.length / n));
    return this;
  }
  predictProba(X: Matrix): Matrix {
    const [n, d] = X.shape;
    const k = this.classes.length;
    const data = new Float64Array(n * k);
    for (let i = 0; i < n; i++) {
      const jll = this.classes.map((_, c) => {
        let s = this.logPrior[c]!;
        for (let j = 0; j < d; j++) {
          const v = this.sigma[c]![j]!;
          s -= 0.5 * Math.log(2 * Math.PI * v) + (X.data[i * d + j]! - this.theta[c]![j]!) ** 2 / (2 * v);
        }
        return s;
      });
      const m = Math.max(...jll);
      const z = Math.log(jll.reduce((a, v) => a + Math.exp(v - m), 0)) + m;
      jll.forEach((v, c) => {
        data[i * k + c] = Math.exp(v - z);
      });
    }
    return { data, shape: [n, k] };
  }
  clone(): GaussianNB {
    return new GaussianNB();
  }
}

/** One character per row: the digit, or '.' for -1 (as printed by the Python snippet). */
const compact = (a: Int32Array) => Array.from(a, (v) => (v < 0 ? '.' : String(v))).join('');

// References from scikit-learn 1.2.1 (Debian python3-sklearn), obtained with:
//   X, y = load_iris(return_X_y=True); y[[(i * 7) % 10 < 7 for i in range(150)]] = -1
//   st = SelfTrainingClassifier(GaussianNB(), **kw).fit(X, y)
//   ''.join(str(v) if v >= 0 else '.' for v in st.labeled_iter_)   (and transduction_)
describe('SelfTrainingClassifier matches scikit-learn on the iris fixture', () => {
  it('threshold 0.75 (default): labeledIter, transduction, nIter 3, no_change', async () => {
    const st = await new SelfTrainingClassifier(new GaussianNB()).fit(X, y);
    assert.equal(st.nIter, 3);
    assert.equal(st.terminationCondition, 'no_change');
    assert.equal(
      compact(st.labeledIter),
      '1011011011101101101110110110111011011011101101101120.101.01110110110111011011011101.0110111011011011101101101110110110111011012011101.0110111011011011',
    );
    assert.equal(
      compact(st.transduction),
      '0000000000000000000000000000000000000000000000000011.111.11111111111112111111111111.1111111111111111222222122222222222212222222222222.2222222222222222',
    );
  });

  it('threshold 0.99 leaves the unsure rows unlabeled', async () => {
    const st = await new SelfTrainingClassifier(new GaussianNB(), { threshold: 0.99 }).fit(X, y);
    assert.equal(st.nIter, 3);
    assert.equal(
      compact(st.labeledIter),
      '10110110111011011011101101101110110110111011011011.0.101.01110110.1021.0.101.011101.0..011101101101110110120111012011012101.01.011101.0110.1102101201.',
    );
    assert.equal(
      compact(st.transduction),
      '00000000000000000000000000000000000000000000000000.1.111.11111111.1111.1.111.111111.1..111111111111122222212222222222221222.22.222222.2222.2222222222.',
    );
  });

  it("k_best 10 with maxIter null runs 11 iterations to all_labeled (numpy's tie order aside)", async () => {
    const st = await new SelfTrainingClassifier(new GaussianNB(), {
      criterion: 'k_best',
      kBest: 10,
      maxIter: null,
    }).fit(X, y);
    assert.equal(st.nIter, 11);
    assert.equal(st.terminationCondition, 'all_labeled');
    // scikit-learn's transduction_ (the labels do not depend on which tied rows come first):
    const KT =
      '000000000000000000000000000000000000000000000000001121112111111111111121111111111111111111111111111122222212222222222221222222222222212222222222222222';
    assert.equal(compact(st.transduction), KT);
    // labeled_iter_ per iteration: 10 rows each, 5 in the last.
    const perIter = Array.from(
      { length: 12 },
      (_, k) => Array.from(st.labeledIter).filter((v) => v === k).length,
    );
    assert.deepEqual(perIter, [45, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 5]);
  });

  it('with LogisticRegression (L-BFGS, as scikit-learn’s lbfgs) and threshold 0.9 as well', async () => {
    const st = await new SelfTrainingClassifier(new LogisticRegression({ maxIter: 1000 }), {
      threshold: 0.9,
    }).fit(X, y);
    // SelfTrainingClassifier(LogisticRegression(max_iter=1000), threshold=0.9).labeled_iter_:
    const LRI = [
      1, 0, 1, 1, 0, 1, 1, 0, 1, 1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 1, 1, 0, 1, 1, 0,
      1, 1, 0, 1, 1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 1, -1, 0, -1, 4, 0, -1, -1, 0, -1, -1, 7, 0, 1, -1, 0, -1, -1,
      0, -1, 5, -1, 0, -1, -1, 0, -1, -1, 0, -1, -1, 5, 0, 7, -1, 0, -1, -1, 0, -1, 6, -1, 0, 6, -1, 0, -1,
      -1, 0, -1, -1, 1, 0, 1, -1, 0, 1, -1, 0, 4, 1, -1, 0, 2, -1, 0, 2, -1, 0, 1, -1, 1, 0, 1, -1, 0, 1, -1,
      0, 2, 5, 1, 0, 1, -1, 0, 1, 1, 0, -1, 3, 1, 0, -1, 1, 0, 5, -1, 0, 1, -1,
    ];
    assert.deepEqual(Array.from(st.labeledIter), LRI);
    assert.equal(st.nIter, 8);
    assert.equal(st.terminationCondition, 'no_change');
  });
});

describe('SelfTrainingClassifier edge cases', () => {
  it('max_iter: stops after maxIter iterations (and maxIter 0 fits labeled rows only)', async () => {
    const st = await new SelfTrainingClassifier(new GaussianNB(), { maxIter: 1 }).fit(X, y);
    assert.equal(st.nIter, 1);
    assert.equal(st.terminationCondition, 'max_iter');
    const zero = await new SelfTrainingClassifier(new GaussianNB(), { maxIter: 0 }).fit(X, y);
    assert.equal(zero.nIter, 0);
    assert.equal(zero.terminationCondition, 'max_iter');
    assert.ok(Array.from(zero.labeledIter).every((v) => v <= 0));
  });

  it('threshold never met: no_change after the first iteration, nothing pseudo-labeled', async () => {
    const flat: Classifier<Matrix> = {
      classes: [0, 1, 2],
      fit: () => undefined,
      predictProba: (m) => ({ data: new Float64Array(m.shape[0] * 3).fill(1 / 3), shape: [m.shape[0], 3] }),
    };
    const st = await new SelfTrainingClassifier(flat, { threshold: 0.5 }).fit(X, y);
    assert.equal(st.nIter, 1);
    assert.equal(st.terminationCondition, 'no_change');
    assert.deepEqual(Array.from(st.transduction), Array.from(y));
  });

  it('no unlabeled rows: a warning, no iteration, all_labeled', async () => {
    const st = await new SelfTrainingClassifier(new GaussianNB()).fit(X, yTrue);
    assert.equal(st.nIter, 0);
    assert.equal(st.terminationCondition, 'all_labeled');
    assert.deepEqual(st.warnings, ['y contains no unlabeled samples']);
  });

  it('a single labeled class labels everything with it in one iteration, with a warning', async () => {
    const one = Int32Array.from(y, (v) => (v === 0 ? 0 : -1));
    const st = await new SelfTrainingClassifier(new LogisticRegression()).fit(X, one);
    assert.equal(st.nIter, 1);
    assert.equal(st.terminationCondition, 'all_labeled');
    assert.ok(Array.from(st.transduction).every((v) => v === 0));
    assert.match(st.warnings.join(), /only one class is labeled/);
  });

  it('null and NaN also mark unlabeled rows; bad options and inputs are LabelErrors', async () => {
    const st = await new SelfTrainingClassifier(new GaussianNB(), { maxIter: 1 }).fit(
      X,
      Array.from(y, (v) => (v < 0 ? null : v)),
    );
    assert.equal(st.nIter, 1);
    assert.throws(
      () => new SelfTrainingClassifier(new GaussianNB(), { threshold: 1 }),
      /threshold: Too big: expected number to be <1/,
    );
    await assert.rejects(
      new SelfTrainingClassifier(new GaussianNB()).fit(X, [1, 2]),
      /y has 2 labels but X has 150 rows/,
    );
    await assert.rejects(
      new SelfTrainingClassifier(new GaussianNB()).fit(X, new Int32Array(150).fill(-1)),
      /y has no labeled rows/,
    );
  });

  it('topK breaks ties by row order', () => {
    assert.deepEqual(topK(Float64Array.from([0.5, 0.9, 0.9, 0.1]), 2), [1, 2]);
  });
});
