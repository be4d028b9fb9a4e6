/**
 * The 5%-labels experiment on a real dataset: scikit-learn's digits (1,797 8×8 images, copied to
 * data/label/digits.csv.gz). 70/30 stratified split (seed 0); 5% of the training labels kept
 * (63 rows, stratified, seed 100); logistic regression (C = 10) on those alone versus
 * self-trained (threshold 0.75, maxIter 10) on all 1,257 training rows.
 * Measured here: labeled-only 0.8815, self-trained 0.9037 holdout accuracy (+2.2 points). With
 * split seeds 0–4 the gain was +2.2, +7.0, +3.0, +3.7, +3.1 points (mean +3.8); with C = 1 (under-
 * confident probabilities) it was only +0.7 on average and −2.6 at worst; threshold 0.9 at C = 1
 * lost 1.5 points on average.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readCsv, trainTestSplit } from '@dlpipe/data';
import { accuracy, LogisticRegression, type Matrix, SelfTrainingClassifier, takeRows } from '@dlpipe/label';

describe('self-training with 5% of the labels (digits)', () => {
  it('improves holdout accuracy over the labeled rows alone', async () => {
    const t = await readCsv(new URL('../data/label/digits.csv.gz', import.meta.url).pathname);
    const m = t.toMatrix(t.columnNames.filter((c) => c !== 'digit'));
    const X: Matrix = { data: m.data.map((v) => v / 16), shape: m.shape };
    const y = Int32Array.from(t.numeric('digit'));
    const s = trainTestSplit(y.length, { testSize: 0.3, stratify: y, seed: 0 });
    const [Xtr, Xte] = [takeRows(X, s.train), takeRows(X, s.test)];
    const ytr = Int32Array.from(s.train, (i) => y[i]!);
    const yte = Int32Array.from(s.test, (i) => y[i]!);
    const keep = trainTestSplit(ytr.length, { testSize: 0.05, stratify: ytr, seed: 100 }).test;
    assert.equal(keep.length, 63);
    const ySemi = new Int32Array(ytr.length).fill(-1);
    for (const i of keep) ySemi[i] = ytr[i]!;

    const labeledOnly = new LogisticRegression({ C: 10 });
    await labeledOnly.fit(
      takeRows(Xtr, keep),
      Int32Array.from(keep, (i) => ytr[i]!),
    );
    const a0 = await accuracy(labeledOnly, Xte, yte);
    const st = new SelfTrainingClassifier(new LogisticRegression({ C: 10, warmStart: true }), {
      threshold: 0.75,
    });
    await st.fit(Xtr, ySemi);
    const a1 = await accuracy(st, Xte, yte);
    assert.ok(a0 > 0.85 && a0 < 0.9, `labeled-only accuracy ${a0}`);
    assert.ok(a1 >= a0 + 0.015, `self-trained ${a1.toFixed(4)} vs labeled-only ${a0.toFixed(4)}`);
    const pseudo = Array.from(st.labeledIter.keys()).filter((i) => st.labeledIter[i]! > 0);
    const right = pseudo.filter((i) => st.transduction[i] === ytr[i]).length / pseudo.length;
    assert.ok(pseudo.length > 800 && right > 0.9, `${pseudo.length} pseudo-labels, ${right} correct`);
  });
});
