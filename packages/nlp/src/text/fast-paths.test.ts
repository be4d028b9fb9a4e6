import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Rng } from '@dlpipe/core';
import { mobyDick, uciSentences } from '../corpus/corpora.js';
import { type EnglishKind, EnglishTokenizer, mayHoldSpecialSpan } from '../tokenize/english.js';
import { bertUncased } from '../wordpiece/tokenizer.js';
import { BertNormalizer } from './bert-normalizer.js';
import { checkText } from './check-text.js';

/** Spans that exercise every special case of the general paths. */
const INSERTS = [
  'https://d2l.ai/chapter_rnn/rnn.html?x=1#top',
  'www.example.com',
  'me@example.org',
  'ftp://host/x',
  '👍🏽',
  '👨‍👩‍👧',
  '❤️',
  '‼',
  'café',
  'Cafe\u0301',
  'ΟΔΟΣ',
  'İstanbul',
  '北京大学',
  'Ｈｅｌｌｏ，',
  'tab\there',
  'zero\u200bwidth',
  'nul\u0000x',
  'line\u2028sep',
  'non\u00a0breaking',
  '[MASK]',
  '—',
  '’s',
  '½',
  '𝔘𝔫𝔦',
  'x⹏y',
];

/** Moby-Dick's first 3,000 lines, the 3,000 UCI sentences, and 1,500 lines with inserts. */
function lines(): string[] {
  const moby = mobyDick()
    .split('\n')
    .filter((l) => l.trim() !== '')
    .slice(0, 3000);
  const uci = uciSentences().map((s) => s.text);
  const rng = new Rng(7);
  const mixed = moby.slice(0, 1500).map((l) => {
    const words = l.split(' ');
    for (let k = 0; k <= rng.int(3); k++) {
      words.splice(rng.int(words.length + 1), 0, INSERTS[rng.int(INSERTS.length)]!);
    }
    return words.join(rng.int(2) === 0 ? ' ' : '  ');
  });
  return [...moby, ...uci, ...mixed];
}

const LINES = lines();

describe('fast paths give exactly what the general paths give (7,500 real and mixed lines)', () => {
  it('the lines exercise both paths', () => {
    const special = LINES.filter(mayHoldSpecialSpan).length;
    assert.ok(special > 1000 && special < LINES.length - 3000, `${special} of ${LINES.length}`);
    const ascii = LINES.filter((l) => /^[\x20-\x7e]*$/.test(l)).length;
    assert.ok(ascii > 3000, `${ascii} printable-ASCII lines`);
  });

  const kinds: EnglishKind[] = ['treebank', 'word', 'wordpunct', 'whitespace'];
  for (const kind of kinds) {
    for (const norm of [{}, { nfkc: true, lowercase: true, stripAccents: true }]) {
      it(`English ${kind}${Object.keys(norm).length ? ' with NFKC, lowercase, strip accents' : ''}`, () => {
        const fast = new EnglishTokenizer({ kind, ...norm });
        const general = new EnglishTokenizer({ kind, ...norm, fastPaths: false });
        for (const l of LINES) assert.deepEqual(fast.tokenize(l), general.tokenize(l), JSON.stringify(l));
      });
    }
  }

  it('BERT WordPiece (ASCII normalizer and pre-tokenizer, word cache) — twice, the second from the cache', () => {
    const fast = bertUncased();
    const general = bertUncased({ fastPaths: false });
    for (let pass = 0; pass < 2; pass++) {
      for (const l of LINES) assert.deepEqual(fast.encode(l).ids, general.encode(l).ids, JSON.stringify(l));
    }
  });

  it('BertNormalizer with each option off', () => {
    for (const o of [
      { lowercase: false },
      { cleanText: false },
      { stripAccents: false },
      { handleChineseChars: false },
    ]) {
      const fast = new BertNormalizer(o);
      const general = new BertNormalizer({ ...o, fastPaths: false });
      for (const l of LINES) assert.equal(fast.normalize(l), general.normalize(l), JSON.stringify(l));
    }
  });

  it('checkText: a short text skips the line scan, a long one still finds the over-long line', () => {
    assert.doesNotThrow(() => checkText('abc\ndef', { maxLineChars: 7 }));
    assert.throws(() => checkText('abcdefgh\nx', { maxLineChars: 7 }), /line 1 has 8 characters/);
    assert.throws(
      () => checkText('ok\n\uD800', { source: 'f.txt' }),
      /f.txt: lone UTF-16 surrogate at character 3/,
    );
  });
});
