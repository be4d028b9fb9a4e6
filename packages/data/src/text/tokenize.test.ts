import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Table } from '../table/table.js';
import { restoreTransform } from '../transforms/persist.js';
import { splitChars, TextTransformer, tokenize } from './tokenize.js';

describe('text preprocessing', () => {
  it("stems as Porter's paper (caresses → caress, ponies → poni, running → run)", () => {
    assert.deepEqual(tokenize('Caresses ponies RUNNING', { stem: 'porter' }), ['caress', 'poni', 'run']);
    assert.deepEqual(tokenize('maximum', { stem: 'lancaster' }), ['maxim']);
  });
  it('lemmatizes plural nouns, drops stop words, keeps apostrophes inside words', () => {
    assert.deepEqual(tokenize('The geese and the mice', { lemmatize: true, stopWords: 'english' }), [
      'goose',
      'mouse',
    ]);
    assert.deepEqual(tokenize("Don't stop", {}), ["don't", 'stop']);
    assert.deepEqual(tokenize('ABC', { lowercase: false }), ['ABC']);
  });
  it('splits into code points', () => {
    assert.deepEqual(splitChars('é👍 a'), ['é', '👍', ' ', 'a']);
    assert.deepEqual(tokenize('Hi!', { split: 'chars' }), ['h', 'i', '!']);
  });
  it('TextTransformer rewrites string columns, keeps missing, and restores from JSON', () => {
    const t = Table.fromColumns({ review: ['Cats were running', null], n: [1, 2] });
    const tt = new TextTransformer({ stem: 'porter' });
    const z = tt.fitTransform(t);
    assert.deepEqual(z.column('review').data, ['cat were run', null]);
    assert.deepEqual((restoreTransform(tt.toJSON()) as TextTransformer).transform(t).toRows(), z.toRows());
  });
});
