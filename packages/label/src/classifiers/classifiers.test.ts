import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Rng } from '@dlpipe/core';
import { LabelEncoder, readCsv } from '@dlpipe/data';
import { accuracy, type Matrix, predict, takeRows } from './classifier.js';
import { lbfgs } from './lbfgs.js';
import { LogisticRegression } from './logistic-regression.js';
import { MlpClassifier } from './mlp-classifier.js';
import { NaiveBayesText } from './naive-bayes-text.js';

const iris = await readCsv(new URL('../../../../data/label/iris.csv', import.meta.url).pathname);
const X = iris.toMatrix(['sepal_length', 'sepal_width', 'petal_length', 'petal_width']);
const y = new LabelEncoder().fitTransform(iris.strings('species'));

describe('L-BFGS', () => {
  it('minimizes the Rosenbrock function to (1, 1)', () => {
    const r = lbfgs(
      (x) => {
        const [a, b] = [x[0]!, x[1]!];
        return {
          value: (1 - a) ** 2 + 100 * (b - a * a) ** 2,
          grad: Float64Array.of(-2 * (1 - a) - 400 * a * (b - a * a), 200 * (b - a * a)),
        };
      },
      [-1.2, 1],
      { maxIter: 500, gtol: 1e-8 },
    );
    assert.ok(Math.abs(r.x[0]! - 1) < 1e-4 && Math.abs(r.x[1]! - 1) < 1e-4, `${r.x}`);
  });
});

describe('LogisticRegression', () => {
  it("reaches scikit-learn's optimum on iris (C=1, lbfgs)", async () => {
    // scikit-learn 1.2.1: LogisticRegression(C=1.0, max_iter=10000, tol=1e-10).fit(X, y)
    //   coef_ (rounded 6), predict_proba(X[[0, 50, 100, 70, 83]]) (rounded 6)
    const coef = [
      [-0.423293, 0.967267, -2.517202, -1.079635],
      [0.53434, -0.321368, -0.206324, -0.944185],
      [-0.111047, -0.645898, 2.723526, 2.023819],
    ];
    const proba = [
      [0.981585, 0.018415, 0.0],
      [0.002127, 0.873968, 0.123905],
      [1e-6, 0.003914, 0.996086],
      [0.002309, 0.44011, 0.557581],
      [0.00045, 0.349701, 0.64985],
    ];
    const lr = new LogisticRegression({ maxIter: 1000, tol: 1e-6 });
    await lr.fit(X, y);
    lr.coefficients().coef.forEach((row, c) => {
      row.forEach((v, j) => {
        assert.ok(Math.abs(v - coef[c]![j]!) < 5e-3, `coef[${c}][${j}] ${v}`);
      });
    });
    const P = lr.predictProba(takeRows(X, [0, 50, 100, 70, 83]));
    proba.flat().forEach((p, i) => {
      assert.ok(Math.abs(P.data[i]! - p) < 1e-3, `proba ${i}: ${P.data[i]} vs ${p}`);
    });
    assert.ok((await accuracy(lr, X, y)) > 0.95);
  });

  it('warm start reaches the same optimum; adam gets close; bad input is a LabelError', async () => {
    const lr = new LogisticRegression({ warmStart: true, maxIter: 1000, tol: 1e-6 });
    await lr.fit(X, y);
    const first = lr.predictProba(X).data;
    await lr.fit(X, y);
    assert.ok(lr.solverInfo!.iterations < 20, `warm refit took ${lr.solverInfo!.iterations} iterations`);
    lr.predictProba(X).data.forEach((p, i) => {
      assert.ok(Math.abs(p - first[i]!) < 1e-3);
    });
    const adam = new LogisticRegression({ solver: 'adam', epochs: 100, lr: 0.1, batchSize: 50 });
    await adam.fit(X, y);
    assert.ok((await accuracy(adam, X, y)) > 0.9);
    await assert.rejects(lr.fit(X, [0, 1]), /y has 2 labels but X has 150 rows/);
    assert.throws(() => new LogisticRegression().predictProba(X), /not fitted/);
  });
});

describe('MlpClassifier', () => {
  it('learns XOR-like data that a linear model cannot, trained by fit', async () => {
    const rng = new Rng(0);
    const n = 400;
    const data = new Float32Array(n * 2);
    const labels = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const a = rng.next() * 2 - 1;
      const b = rng.next() * 2 - 1;
      data.set([a, b], i * 2);
      labels[i] = a * b > 0 ? 1 : 0;
    }
    const Xx: Matrix = { data, shape: [n, 2] };
    const mlp = new MlpClassifier({ hiddenUnits: [32], epochs: 60, lr: 0.01, batchSize: 32, seed: 1 });
    await mlp.fit(Xx, labels);
    const lin = new LogisticRegression();
    await lin.fit(Xx, labels);
    const [am, al] = [await accuracy(mlp, Xx, labels), await accuracy(lin, Xx, labels)];
    assert.ok(am > 0.9 && al < 0.7, `mlp ${am}, linear ${al}`);
    const P = mlp.predictProba(Xx);
    for (let i = 0; i < n; i++) assert.ok(Math.abs(P.data[2 * i]! + P.data[2 * i + 1]! - 1) < 1e-5);
    mlp.dispose();
  });
});

describe('NaiveBayesText', () => {
  it("gives natural's normalized probabilities and does not underflow on long documents", async () => {
    const nb = new NaiveBayesText();
    nb.fit(
      [
        'a great movie, loved it',
        'wonderful acting and great plot',
        'awful plot, boring',
        'terrible and boring acting',
      ],
      [1, 1, 0, 0],
    );
    // natural's BayesClassifier.getClassifications('great acting') → values normalized: 1: 0.75, 0: 0.25
    const P = nb.predictProba(['great acting', 'boring movie']);
    assert.ok(Math.abs(P.data[1]! - 0.75) < 1e-12);
    assert.deepEqual(Array.from(await predict(nb, ['great acting', 'boring movie'])), [1, 0]);
    // 2,000 shared words: natural's product of 2,000 likelihoods underflows to 0 for every class.
    const words = Array.from({ length: 2000 }, (_, i) => `w${i}x`).join(' ');
    const big = new NaiveBayesText();
    big.fit([`${words} great`, `${words} boring`, 'great fun', 'boring dull'], [1, 0, 1, 0]);
    const L = big.predictProba([`${words} great`]);
    assert.ok(
      Number.isFinite(L.data[1]!) && L.data[1]! > 0.5 && Math.abs(L.data[0]! + L.data[1]! - 1) < 1e-12,
      `${L.data}`,
    );
  });
});
