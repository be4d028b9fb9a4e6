import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Table } from '../table/table.js';
import { restoreTransform } from '../transforms/persist.js';
import { LabelEncoder, OneHotEncoder, OrdinalEncoder } from './encoders.js';
import { HashingEncoder, hashFeature, murmurhash3 } from './hashing.js';

const colors = Table.fromColumns({ color: ['red', 'blue', 'red', 'green'], n: [1, 2, 3, 4] });

// References: scikit-learn 1.2.1,
//   OneHotEncoder(handle_unknown='ignore').fit([['red'], ['blue'], ['red'], ['green']])
//     .get_feature_names_out(['color']) → ['color_blue', 'color_green', 'color_red']
//     .transform([['blue'], ['purple']]) → [[1, 0, 0], [0, 0, 0]]
//   OneHotEncoder(drop='if_binary').fit([['y'], ['n'], ['y']]).get_feature_names_out(['a']) → ['a_y']
//   OrdinalEncoder(handle_unknown='use_encoded_value', unknown_value=-1) on green, red, purple → 1, 2, -1
describe('categorical encoders (scikit-learn references)', () => {
  it('one-hot: sorted categories, names, ignored unknowns, inverse and save/load', () => {
    const oh = new OneHotEncoder({ handleUnknown: 'ignore' }).fit(colors);
    assert.deepEqual(oh.featureNames(), ['color_blue', 'color_green', 'color_red']);
    const z = oh.transform(Table.fromColumns({ color: ['blue', 'purple'], n: [0, 0] }));
    assert.deepEqual(z.columnNames, ['color_blue', 'color_green', 'color_red', 'n']);
    assert.deepEqual(z.toRows(), [
      { color_blue: 1, color_green: 0, color_red: 0, n: 0 },
      { color_blue: 0, color_green: 0, color_red: 0, n: 0 },
    ]);
    const back = oh.inverseTransform(oh.transform(colors));
    assert.deepEqual(back.toRows(), colors.toRows());
    const again = restoreTransform(oh.toJSON()) as OneHotEncoder;
    assert.deepEqual(again.transform(colors).toRows(), oh.transform(colors).toRows());
  });

  it('one-hot drop if_binary keeps one column for two categories, and inverts', () => {
    const t = Table.fromColumns({ a: ['y', 'n', 'y'] });
    const oh = new OneHotEncoder({ drop: 'if_binary' }).fit(t);
    assert.deepEqual(oh.featureNames(), ['a_y']);
    assert.deepEqual(oh.inverseTransform(oh.transform(t)).column('a').data, ['y', 'n', 'y']);
  });

  it('an unknown category is an error naming column, row and the option that accepts it', () => {
    const oh = new OneHotEncoder().fit(colors);
    assert.throws(
      () => oh.transform(Table.fromColumns({ color: ['red', 'purple'] })),
      /OneHotEncoder: column 'color', row 1: category 'purple' was not seen in fit \(known: 'blue', 'green', 'red'\); pass handleUnknown: 'ignore'/,
    );
  });

  it('ordinal codes, unknown value and inverse; numbers sort numerically', () => {
    const oe = new OrdinalEncoder({ handleUnknown: 'use_encoded_value', unknownValue: -1 }).fit(colors);
    const z = oe.transform(Table.fromColumns({ color: ['green', 'red', 'purple', null] }));
    assert.deepEqual(Array.from(z.numeric('color')), [1, 2, -1, Number.NaN]);
    assert.deepEqual(
      oe.inverseTransform(oe.transform(colors)).column('color').data,
      colors.column('color').data,
    );
    const nums = new OrdinalEncoder({ columns: ['n'] }).fit(Table.fromColumns({ n: [10, 9, 100] }));
    assert.deepEqual(
      Array.from(nums.transform(Table.fromColumns({ n: [9, 10, 100] })).numeric('n')),
      [0, 1, 2],
    );
  });

  it('label encoder: sorted classes, -1 for missing, inverse', () => {
    const le = new LabelEncoder();
    assert.deepEqual(Array.from(le.fitTransform(['b', 'a', null, 'c', 'a'])), [1, 0, -1, 2, 0]);
    assert.deepEqual(le.inverseTransform([2, 0, -1]), ['c', 'a', null]);
    assert.throws(() => le.transform(['z']), /label 'z' at row 0 was not seen/);
  });
});

// References: sklearn.utils.murmurhash3_32(s, seed=0) for '', 'a', 'abc', 'hello world',
// 'city=Paris', 'çé✓' → [0, 1009084850, -1277324294, 1586663183, -33168497, 680917138], and
// FeatureHasher(n_features=8, input_type='dict').transform([{'city=Paris': 1, 'n': 2.5},
// {'city=Berlin': 1}, {'city=Rome': 1, 'n': -1}]).toarray().
describe('hashing (scikit-learn references)', () => {
  it('murmurhash3 matches scikit-learn, including UTF-8 text', () => {
    assert.deepEqual(
      ['', 'a', 'abc', 'hello world', 'city=Paris', 'çé✓'].map((s) => murmurhash3(s)),
      [0, 1009084850, -1277324294, 1586663183, -33168497, 680917138],
    );
    assert.deepEqual(hashFeature('city=Paris', 8), { index: 1, sign: -1 });
  });

  it('HashingEncoder equals FeatureHasher on strings (col=value) and numbers (col: value)', () => {
    const t = Table.fromColumns({ city: ['Paris', 'Berlin', 'Rome'], n: [2.5, null, -1] });
    const z = new HashingEncoder({ columns: ['city', 'n'], nFeatures: 8 }).fitTransform(t);
    const rows = z.toRows().map((r) => Array.from({ length: 8 }, (_, k) => r[`hash_${k}`]));
    assert.deepEqual(rows, [
      [0, -1, 0, 0, -2.5, 0, 0, 0],
      [-1, 0, 0, 0, 0, 0, 0, 0],
      [0, 0, 0, 0, 1, 0, 0, 1],
    ]);
  });
});
