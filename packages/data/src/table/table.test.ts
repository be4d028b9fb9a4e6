import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidArgumentError } from '@dlpipe/core';
import { ColumnError } from '../errors.js';
import { inferDType, makeColumn } from './column.js';
import { inferTextDType, parseDate, parseNumber } from './parse-cell.js';
import { Table } from './table.js';

describe('cells and columns', () => {
  it('parses numbers, pandas NA spellings, infinities and ISO dates (no zone = UTC)', () => {
    assert.equal(parseNumber(' 1e3 '), 1000);
    assert.ok(Number.isNaN(parseNumber('NA')!));
    assert.equal(parseNumber('-inf'), -Infinity);
    assert.equal(parseNumber('1,5'), undefined);
    assert.equal(parseDate('2024-02-29'), Date.UTC(2024, 1, 29));
    assert.equal(parseDate('2024-02-29 10:30'), Date.UTC(2024, 1, 29, 10, 30));
    assert.equal(parseDate('2024-02-29T10:30:00+02:00'), Date.UTC(2024, 1, 29, 8, 30));
    assert.equal(parseDate('29/02/2024'), undefined);
  });

  it('infers the narrowest dtype: int ⊂ float, then bool, date, string', () => {
    assert.equal(inferTextDType(['1', '', '3']), 'int');
    assert.equal(inferTextDType(['1', '2.5']), 'float');
    assert.equal(inferTextDType(['TRUE', 'false']), 'bool');
    assert.equal(inferTextDType(['2024-01-01', '']), 'date');
    assert.equal(inferTextDType(['1', 'x']), 'string');
    assert.equal(inferTextDType(['', 'NA']), 'string');
    assert.equal(inferDType([1, null, 2]), 'int');
    assert.equal(inferDType([1, 'a']), 'string');
  });

  it('a value that cannot take the requested dtype is an error naming column and row', () => {
    assert.throws(
      () => makeColumn('age', ['31', 'old'], 'float'),
      /column 'age': row 1: 'old' is not a number \(dtype float\)/,
    );
    assert.throws(() => makeColumn('n', [1.5], 'int'), /not an integer/);
  });
});

describe('Table', () => {
  const t = Table.fromColumns({ x: [1, 2, 3], s: ['a', 'b', null] });

  it('selects, takes, slices, filters and concatenates', () => {
    assert.deepEqual(t.take([2, 0]).toRows(), [
      { x: 3, s: null },
      { x: 1, s: 'a' },
    ]);
    assert.throws(() => t.take([3]), /take: row index 3 is outside 0\.\.2 \(the table has 3 rows\)/);
    assert.throws(() => t.take([3]), InvalidArgumentError);
    assert.throws(() => t.row(-1), InvalidArgumentError);
    assert.deepEqual(t.slice(1).column('s').data, ['b', null]);
    assert.deepEqual(t.filter((r) => (r.x as number) > 1).nRows, 2);
    assert.deepEqual(Table.concat([t, t.head(1)]).numeric('x'), Float64Array.from([1, 2, 3, 1]));
    assert.deepEqual(t.rename({ x: 'y' }).columnNames, ['y', 's']);
  });

  it('missing columns, duplicate names, ragged columns and text-as-numbers are ColumnErrors', () => {
    assert.throws(
      () => t.column('z'),
      (e: Error) =>
        e instanceof ColumnError && /'z': not found; the table has columns \[x, s\]/.test(e.message),
    );
    assert.throws(() => new Table([makeColumn('a', [1]), makeColumn('a', [2])]), /appears twice/);
    assert.throws(
      () => new Table([makeColumn('a', [1]), makeColumn('b', [1, 2])]),
      /has 2 rows but 'a' has 1/,
    );
    const fromFile = new Table([makeColumn('f', ['1', 'abc'], 'string')], { file: 'x.csv', lines: [2, 3] });
    assert.throws(
      () => fromFile.numeric('f'),
      /column 'f': is string, but numbers are needed here \(x\.csv, line 3 holds 'abc'\)/,
    );
    assert.throws(
      () => Table.fromColumns({ v: [1, null] }, { dtypes: { v: 'float' } }).toMatrix(),
      /row 1 is missing; impute it first/,
    );
  });

  it('toMatrix is row-major float32', () => {
    const m = Table.fromColumns({ a: [1, 2], b: [3, 4] }).toMatrix();
    assert.deepEqual(m.shape, [2, 2]);
    assert.deepEqual(Array.from(m.data), [1, 3, 2, 4]);
  });
});
