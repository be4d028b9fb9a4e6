import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { OptionsError } from '@dlpipe/core';
import { TransformError } from '../errors.js';
import { Table } from '../table/table.js';
import { SimpleImputer } from './imputer.js';
import { Log1pTransformer } from './log1p.js';
import { loadTransform, restoreTransform, saveTransform } from './persist.js';
import { TransformPipeline } from './pipeline.js';
import { MaxAbsScaler, MinMaxScaler, StandardScaler } from './scalers.js';
import type { Transformer } from './transformer.js';

const tmp = mkdtempSync(join(tmpdir(), 'dlpipe-tf-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

// X = [[1, -2], [2, 0], [4, 6], [nan, 3]] as in the scikit-learn 1.2.1 snippet below.
const X = Table.fromColumns({ a: [1, 2, 4, null], b: [-2, 0, 6, 3], name: ['p', 'q', 'r', 's'] });

function close(actual: ArrayLike<number>, expected: number[], tol = 1e-9): void {
  assert.equal(actual.length, expected.length);
  expected.forEach((e, i) => {
    if (Number.isNaN(e)) assert.ok(Number.isNaN(actual[i]!), `index ${i}: expected NaN, got ${actual[i]}`);
    else assert.ok(Math.abs(actual[i]! - e) <= tol, `index ${i}: ${actual[i]} vs ${e}`);
  });
}

// Reference values from scikit-learn 1.2.1 (Debian python3-sklearn):
//   StandardScaler().fit_transform(X); MinMaxScaler(feature_range=(-1, 1)); MaxAbsScaler();
//   SimpleImputer(strategy='mean' | 'median').fit(X).statistics_
describe('scalers (scikit-learn references)', () => {
  const cases: Array<[string, Transformer, number[], number[]]> = [
    [
      'StandardScaler',
      new StandardScaler(),
      [-1.06904496765, -0.267261241912, 1.336306209562, Number.NaN],
      [-1.237179148263, -0.57735026919, 1.402136368032, 0.412393049421],
    ],
    [
      'MinMaxScaler',
      new MinMaxScaler({ featureRange: [-1, 1] }),
      [-1, -1 / 3, 1, Number.NaN],
      [-1, -0.5, 1, 0.25],
    ],
    ['MaxAbsScaler', new MaxAbsScaler(), [0.25, 0.5, 1, Number.NaN], [-1 / 3, 0, 1, 0.5]],
  ];
  for (const [name, s, a, b] of cases) {
    it(`${name} matches, ignores NaN in fit, inverts, survives save/load and leaves text alone`, async () => {
      const z = s.fitTransform(X);
      close(z.numeric('a'), a, 1e-11);
      close(z.numeric('b'), b, 1e-11);
      assert.deepEqual(z.column('name').data, ['p', 'q', 'r', 's']);
      const back = s.inverseTransform!(z);
      close(back.numeric('a'), [1, 2, 4, Number.NaN], 1e-12);
      close(back.numeric('b'), [-2, 0, 6, 3], 1e-12);
      const file = join(tmp, `${name}.json`);
      await saveTransform(file, s);
      const loaded = await loadTransform<Transformer>(file);
      assert.equal(loaded.kind, name);
      assert.deepEqual(loaded.transform(X).toRows(), z.toRows());
    });
  }

  it('a constant column scales by 1 (scikit-learn) instead of dividing by zero', () => {
    const t = Table.fromColumns({ c: [5, 5, 5] });
    assert.deepEqual(Array.from(new StandardScaler().fitTransform(t).numeric('c')), [0, 0, 0]);
    assert.deepEqual(Array.from(new MinMaxScaler().fitTransform(t).numeric('c')), [0, 0, 0]);
    assert.throws(() => new MinMaxScaler({ featureRange: [1, 1] }), /featureRange must be \[min, max\]/);
    assert.throws(() => new MinMaxScaler({ featureRange: [1, 1] }), OptionsError);
  });

  it('transform before fit, and a table without the fitted columns, say what to do', () => {
    assert.throws(() => new StandardScaler().transform(X), /StandardScaler is not fitted: call fit\(table\)/);
    const s = new StandardScaler({ columns: ['a'] }).fit(X);
    assert.throws(() => s.transform(X.drop(['a'])), /fitted on columns \[a\] but the table lacks \[a\]/);
    assert.throws(
      () => new StandardScaler({ columns: ['name'] }).fit(X),
      /column 'name': is string, but numbers are needed/,
    );
  });
});

describe('log1p and imputation', () => {
  it('log1p inverts with expm1 and rejects values below -1 with the row', () => {
    const t = Table.fromColumns({ v: [0, 1, 1e6, Math.E - 1] });
    const l = new Log1pTransformer();
    const z = l.fitTransform(t);
    close(z.numeric('v'), [0, Math.LN2, Math.log1p(1e6), 1], 1e-12);
    close(l.inverseTransform(z).numeric('v'), [0, 1, 1e6, Math.E - 1], 1e-6);
    assert.throws(
      () => l.transform(Table.fromColumns({ v: [0, -2] })),
      /column 'v', row 1 is -2; log1p needs values >= -1/,
    );
  });

  it('mean and median match scikit-learn; most_frequent and constant work on text', () => {
    const mean = new SimpleImputer({ strategy: 'mean' }).fitTransform(X);
    close(mean.numeric('a'), [1, 2, 4, 7 / 3], 1e-12); // statistics_ [2.3333333333333335, 1.75]
    const med = new SimpleImputer({ strategy: 'median' }).fitTransform(X);
    close(med.numeric('a'), [1, 2, 4, 2]);
    const t = Table.fromColumns({ c: ['x', null, 'y', 'x'] });
    assert.deepEqual(new SimpleImputer({ strategy: 'most_frequent' }).fitTransform(t).column('c').data, [
      'x',
      'x',
      'y',
      'x',
    ]);
    assert.deepEqual(new SimpleImputer({ strategy: 'constant' }).fitTransform(t).column('c').data, [
      'x',
      'missing_value',
      'y',
      'x',
    ]);
    assert.throws(
      () => new SimpleImputer({ strategy: 'mean', columns: ['c'] }).fit(t),
      /strategy 'mean' needs numbers but column 'c' is string/,
    );
  });

  it('a pipeline fits in order, inverts backwards and round-trips through JSON', async () => {
    const p = new TransformPipeline([
      new Log1pTransformer({ columns: ['b'] }),
      new StandardScaler({ columns: ['b'] }),
    ]);
    const t = Table.fromColumns({ b: [0, 1, 3, 7] });
    const z = p.fitTransform(t);
    close(p.inverseTransform(z).numeric('b'), [0, 1, 3, 7], 1e-12);
    await saveTransform(join(tmp, 'pipe.json'), p);
    const q = await loadTransform<TransformPipeline>(join(tmp, 'pipe.json'));
    close(q.transform(t).numeric('b'), Array.from(z.numeric('b')), 0);
    await assert.rejects(loadTransform(join(tmp, 'nope.json')), /nope\.json: cannot read/);
  });

  it('a saved pipeline whose step is not a table transform is refused', () => {
    const labels = { kind: 'LabelEncoder', version: 1, config: {}, state: { classes: ['a'] } } as const;
    const pipeline = { kind: 'TransformPipeline', version: 1, config: {}, state: [labels] } as const;
    assert.throws(
      () => restoreTransform(pipeline),
      /TransformPipeline step 0: unknown transform kind 'LabelEncoder'; known: StandardScaler/,
    );
    assert.throws(() => restoreTransform(pipeline), TransformError);
  });
});
