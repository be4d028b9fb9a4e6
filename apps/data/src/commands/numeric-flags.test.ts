/** Every numeric flag of the data commands refuses NaN, Infinity, negatives and absurd sizes with one clear line. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OptionsError } from '@dlpipe/core';
import { convert } from './convert.js';
import { head, info } from './head.js';
import { split } from './split.js';

const cases: [typeof head | typeof convert | typeof split, string[], RegExp][] = [
  [head, ['f.csv', '-n', 'NaN'], /--n 'NaN': expected a number/],
  [head, ['f.csv', '-n', 'Infinity'], /--n 'Infinity'/],
  [head, ['f.csv', '--n=-3'], /--n '-3': Too small/],
  [convert, ['a.csv', 'b.csv', '--chunk-rows', 'NaN'], /--chunk-rows 'NaN': expected a number/],
  [convert, ['a.csv', 'b.csv', '--chunk-rows', 'Infinity'], /--chunk-rows 'Infinity'/],
  [convert, ['a.csv', 'b.csv', '--chunk-rows=-1'], /--chunk-rows '-1': Too small/],
  [convert, ['a.csv', 'b.csv', '--chunk-rows', '1e12'], /--chunk-rows '1e12': Too big/],
  [
    convert,
    ['a.csv', 'b.csv', '--infer-rows', 'Inf'],
    /--infer-rows 'Inf': expected a positive integer or 'all'/,
  ],
  [convert, ['a.csv', 'b.csv', '--infer-rows', 'NaN'], /--infer-rows 'NaN': expected a positive integer/],
  [convert, ['a.csv', 'b.csv', '--infer-rows=-5'], /--infer-rows '-5': expected a positive integer/],
  [convert, ['a.csv', 'b.csv', '--infer-rows', '0'], /--infer-rows '0': expected a positive integer/],
  [convert, ['a.csv', 'b.csv', '--infer-rows', '1e400'], /--infer-rows '1e400': expected a positive integer/],
  [convert, ['a.csv', 'b.csv', '--max-columns', 'NaN'], /--max-columns 'NaN': expected a number/],
  [convert, ['a.csv', 'b.csv', '--max-columns=-1'], /--max-columns '-1': Too small/],
  [convert, ['a.csv', 'b.csv', '--encoding', 'utf16'], /--encoding 'utf16'/],
  [convert, ['a.csv', 'b.csv', '--invalid-utf8', 'ignore'], /--invalid-utf8 'ignore'/],
  [split, ['f.csv', '--out-dir', 'd', '--test', 'NaN'], /--test 'NaN': expected a number/],
  [split, ['f.csv', '--out-dir', 'd', '--test', 'Infinity'], /--test 'Infinity'/],
  [split, ['f.csv', '--out-dir', 'd', '--test=-1'], /--test '-1': Too small/],
  [split, ['f.csv', '--out-dir', 'd', '--val', 'NaN'], /--val 'NaN'/],
  [split, ['f.csv', '--out-dir', 'd', '--val=-1'], /--val '-1': Too small/],
  [split, ['f.csv', '--out-dir', 'd', '--seed', 'NaN'], /--seed 'NaN'/],
  [split, ['f.csv', '--out-dir', 'd', '--seed', '1.5'], /--seed '1\.5'/],
];

describe('numeric and choice flags of pnpm data', () => {
  it('NaN, Infinity, negatives, zero and absurd sizes are OptionsErrors (exit 2) naming the flag and value', () => {
    for (const [cmd, argv, re] of cases) {
      assert.throws(
        () => cmd.parse(argv),
        (e: unknown) => e instanceof OptionsError && re.test(e.message) && !e.message.includes('\n'),
        argv.join(' '),
      );
    }
  });

  it('the CSV read flags exist on every command that reads a CSV', () => {
    for (const [cmd, argv] of [
      [head, ['f.csv']],
      [info, ['f.csv']],
      [convert, ['a.csv', 'b.csv']],
      [split, ['f.csv', '--out-dir', 'd']],
    ] as const) {
      const v = cmd.parse([
        ...argv,
        '--encoding',
        'latin1',
        '--invalid-utf8',
        'replace',
        '--max-columns',
        '7',
      ]);
      assert.deepEqual([v.encoding, v.invalidUtf8, v.maxColumns], ['latin1', 'replace', 7]);
    }
    assert.deepEqual(convert.parse(['a.csv', 'b.csv', '--infer-rows', '50']).inferRows, 50);
    assert.equal(convert.parse(['a.csv', 'b.csv']).inferRows, 'all');
  });
});
