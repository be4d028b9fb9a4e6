import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidArgumentError, OptionsError } from '@dlpipe/core';
import { Table } from '../table/table.js';
import { Bucketizer, KBinsDiscretizer } from './bucketize.js';
import { DateParts } from './date-parts.js';
import { apportion, kFold, trainTestSplit } from './split.js';
import { TfidfVectorizer } from './tfidf.js';

// References: scikit-learn 1.2.1, KBinsDiscretizer(n_bins=3, encode='ordinal', strategy=…)
// on [0, 1, 2, 3, 4, 10, 11, 25]; inverse_transform([[0], [1], [2]]).
describe('binning (scikit-learn references)', () => {
  const t = Table.fromColumns({ v: [0, 1, 2, 3, 4, 10, 11, 25] });
  it('uniform edges, bins and centers', () => {
    const k = new KBinsDiscretizer({ nBins: 3, strategy: 'uniform' }).fit(t);
    assert.deepEqual(k.binEdges, [[0, 8.333333333333334, 16.666666666666668, 25]]);
    assert.deepEqual(Array.from(k.transform(t).numeric('v')), [0, 0, 0, 0, 0, 1, 1, 2]);
    const c = k.inverseTransform(Table.fromColumns({ v: [0, 1, 2] })).numeric('v');
    assert.deepEqual(Array.from(c), [4.166666666666667, 12.5, 20.833333333333336]);
  });
  it('quantile edges and bins', () => {
    const k = new KBinsDiscretizer({ nBins: 3, strategy: 'quantile' }).fit(t);
    const e = k.binEdges[0]!;
    [0, 2.3333333333333335, 8.000000000000002, 25].forEach((x, i) => {
      assert.ok(Math.abs(e[i]! - x) < 1e-12);
    });
    assert.deepEqual(Array.from(k.transform(t).numeric('v')), [0, 0, 0, 1, 1, 2, 2, 2]);
  });
  it('fixed boundaries as tf bucketized_column: [a, b) buckets', () => {
    const b = new Bucketizer({ boundaries: { v: [2, 10] } }).fit(t);
    assert.deepEqual(Array.from(b.transform(t).numeric('v')), [0, 0, 1, 1, 1, 2, 2, 2]);
    assert.throws(() => new Bucketizer({ boundaries: { v: [3, 1] } }), /must increase strictly/);
    assert.throws(() => new Bucketizer({ boundaries: { v: [3, 1] } }), OptionsError);
    assert.throws(() => new KBinsDiscretizer({ nBins: 1 }), OptionsError);
  });
});

describe('date parts', () => {
  it('year … is_weekend in UTC as pandas .dt (Monday = 0); text dates parsed; missing stays missing', () => {
    // 2024-03-02 was a Saturday, day 62 of a leap year, Q1.
    const t = Table.fromColumns({ when: ['2024-03-02T13:45:00Z', null] });
    const z = new DateParts({
      parts: ['year', 'month', 'day', 'dayofweek', 'dayofyear', 'quarter', 'hour', 'minute', 'is_weekend'],
      columns: ['when'],
    }).fitTransform(t);
    assert.deepEqual(z.row(0), {
      when_year: 2024,
      when_month: 3,
      when_day: 2,
      when_dayofweek: 5,
      when_dayofyear: 62,
      when_quarter: 1,
      when_hour: 13,
      when_minute: 45,
      when_is_weekend: 1,
    });
    assert.equal(z.row(1).when_year, null);
    assert.throws(
      () => new DateParts({ columns: ['when'] }).fitTransform(Table.fromColumns({ when: ['soon'] })),
      /row 0: 'soon' is not an ISO 8601 date/,
    );
    assert.throws(() => new DateParts({ parts: ['century' as 'year'] }), /unknown date part 'century'/);
    assert.throws(() => new DateParts({ parts: ['century' as 'year'] }), OptionsError);
  });
});

// References: scikit-learn 1.2.1 TfidfVectorizer() on the three documents below:
//   vocabulary, idf_ and transform(docs).toarray() (rounded to 10 decimals);
//   TfidfVectorizer(ngram_range=(1, 2), min_df=2).get_feature_names_out().
describe('TF-IDF (scikit-learn reference)', () => {
  const docs = ['The cat sat on the mat.', 'The dog sat on the log!', 'Cats and dogs: the cat, the dog.'];
  it('vocabulary, idf and L2-normalized rows match', () => {
    const tv = new TfidfVectorizer().fit(docs);
    assert.deepEqual(tv.vocabulary, ['and', 'cat', 'cats', 'dog', 'dogs', 'log', 'mat', 'on', 'sat', 'the']);
    const idf = [
      1.69314718056, 1.287682072452, 1.69314718056, 1.287682072452, 1.69314718056, 1.69314718056,
      1.69314718056, 1.287682072452, 1.287682072452, 1.0,
    ];
    tv.idf.forEach((v, i) => {
      assert.ok(Math.abs(v - idf[i]!) < 1e-11);
    });
    const { data, shape } = tv.transform(docs);
    assert.deepEqual(shape, [3, 10]);
    const row2 = [
      0.4243957529, 0.3227639091, 0.4243957529, 0.3227639091, 0.4243957529, 0, 0, 0, 0, 0.5013099367,
    ];
    row2.forEach((v, k) => {
      assert.ok(Math.abs(data[20 + k]! - v) < 1e-6, `row 2 col ${k}`);
    });
    const row0 = [0, 0.3742072592, 0, 0, 0, 0, 0.4920375762, 0.3742072592, 0.3742072592, 0.5812106376];
    row0.forEach((v, k) => {
      assert.ok(Math.abs(data[k]! - v) < 1e-6, `row 0 col ${k}`);
    });
  });
  it('bigrams with minDf 2', () => {
    const tv = new TfidfVectorizer({ ngramRange: [1, 2], minDf: 2 }).fit(docs);
    assert.deepEqual(tv.vocabulary, [
      'cat',
      'dog',
      'on',
      'on the',
      'sat',
      'sat on',
      'the',
      'the cat',
      'the dog',
    ]);
  });
  it('with a stemming tokenizer, cat/cats share a term', () => {
    const tv = new TfidfVectorizer({ tokenize: { stem: 'porter' } }).fit(docs);
    assert.ok(tv.vocabulary.includes('cat') && !tv.vocabulary.includes('cats'));
  });
});

describe('splits', () => {
  const labels = Array.from({ length: 100 }, (_, i) => (i < 70 ? 'a' : i < 90 ? 'b' : 'c'));
  it('stratified train/val/test keeps class shares, covers every row once and is seeded', () => {
    const s = trainTestSplit(100, { testSize: 0.2, valSize: 0.1, stratify: labels, seed: 1 });
    assert.deepEqual([s.train.length, s.val.length, s.test.length], [72, 8, 20]);
    const share = (idx: Int32Array, c: string) => Array.from(idx).filter((i) => labels[i] === c).length;
    assert.deepEqual(
      ['a', 'b', 'c'].map((c) => share(s.test, c)),
      [14, 4, 2],
    );
    const all = [...s.train, ...s.val, ...s.test].sort((x, y) => x - y);
    assert.deepEqual(
      all,
      Array.from({ length: 100 }, (_, i) => i),
    );
    assert.deepEqual(
      trainTestSplit(100, { testSize: 0.2, stratify: labels, seed: 1 }).test,
      trainTestSplit(100, { testSize: 0.2, stratify: labels, seed: 1 }).test,
    );
    assert.notDeepEqual(
      trainTestSplit(100, { testSize: 0.2, seed: 1 }).test,
      trainTestSplit(100, { testSize: 0.2, seed: 2 }).test,
    );
    assert.throws(
      () => trainTestSplit(10, { testSize: 11 }),
      /testSize must be a proportion in \(0, 1\) or a count in 0\.\.10/,
    );
    assert.throws(() => trainTestSplit(10, { testSize: 11 }), OptionsError);
    assert.throws(() => trainTestSplit(10, { stratify: [0, 1] }), /stratify has 2 labels for 10 rows/);
    assert.throws(() => trainTestSplit(10, { stratify: [0, 1] }), InvalidArgumentError);
    assert.throws(() => [...kFold(10, { k: 1 })], OptionsError);
  });
  it('apportion uses largest remainders', () => {
    assert.deepEqual(apportion([70, 20, 10], 15), [11, 3, 1]);
  });
  it('k-fold without shuffle equals scikit-learn KFold(3) on 10 rows; stratified folds balance classes', () => {
    // KFold(n_splits=3).split(np.zeros(10)) test folds: [0..3], [4..6], [7..9]
    assert.deepEqual(
      [...kFold(10, { k: 3 })].map((f) => Array.from(f.test)),
      [
        [0, 1, 2, 3],
        [4, 5, 6],
        [7, 8, 9],
      ],
    );
    for (const f of kFold(100, { k: 5, stratify: labels, shuffle: true, seed: 3 })) {
      const count = (c: string) => Array.from(f.test).filter((i) => labels[i] === c).length;
      assert.deepEqual([count('a'), count('b'), count('c')], [14, 4, 2]);
      assert.equal(f.train.length + f.test.length, 100);
    }
  });
});
