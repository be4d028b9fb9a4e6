import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { TextInputError, TokenizerError } from '../errors.js';
import { EnglishTokenizer, porterStem } from './english.js';

describe('EnglishTokenizer', () => {
  it('treebank splits contractions and punctuation as NLTK/natural do', () => {
    const t = new EnglishTokenizer({ kind: 'treebank' });
    assert.deepEqual(t.tokenize("Don't stop, I can't!"), ['Do', "n't", 'stop', ',', 'I', 'ca', "n't", '!']);
  });

  it('keeps URLs, e-mails, emoji (with skin tone) and accented words whole', () => {
    const t = new EnglishTokenizer({ kind: 'word' });
    assert.deepEqual(t.tokenize('see https://d2l.ai/chapter_rnn?x=1, mail me@x.org 👍🏽 café'), [
      'see',
      'https://d2l.ai/chapter_rnn?x=1',
      'mail',
      'me@x.org',
      '👍🏽',
      'café',
    ]);
  });

  it('never emits lone surrogates (natural alone splits emoji into halves)', () => {
    for (const kind of ['word', 'treebank', 'wordpunct', 'whitespace', 'char'] as const) {
      const toks = new EnglishTokenizer({ kind }).tokenize('ok 😀 fine');
      assert.ok(
        toks.every((x) => !/^[\uD800-\uDFFF]$/.test(x)),
        `${kind}: ${JSON.stringify(toks)}`,
      );
      assert.ok(toks.includes('😀'), kind);
    }
  });

  it('normalizes: NFKC folds full-width, lowercase, strips accents', () => {
    const t = new EnglishTokenizer({ kind: 'whitespace', nfkc: true, lowercase: true, stripAccents: true });
    assert.deepEqual(t.tokenize('ＨＥＬＬＯ Naïve Café'), ['hello', 'naive', 'cafe']);
  });

  it('Porter-stems (Porter 1980 examples)', () => {
    assert.deepEqual(['caresses', 'ponies', 'relational', 'running'].map(porterStem), [
      'caress',
      'poni',
      'relat',
      'run',
    ]);
    assert.deepEqual(new EnglishTokenizer({ kind: 'word', stem: true }).tokenize('cats running'), [
      'cat',
      'run',
    ]);
  });

  it('char tokens are grapheme clusters', () => {
    assert.deepEqual(new EnglishTokenizer({ kind: 'char' }).tokenize('e\u0301👍🏽a'), [
      'e\u0301',
      '👍🏽',
      'a',
    ]);
  });

  it('regexp tokenizer takes a pattern and rejects a bad one', () => {
    assert.deepEqual(new EnglishTokenizer({ kind: 'regexp', pattern: '[,;]\\s*' }).tokenize('a, b;c'), [
      'a',
      'b',
      'c',
    ]);
    assert.throws(() => new EnglishTokenizer({ kind: 'regexp', pattern: '(' }), TokenizerError);
  });

  it('empty text gives no tokens; lone surrogates and a 10 MB line fail clearly', () => {
    const t = new EnglishTokenizer();
    assert.deepEqual(t.tokenize(''), []);
    assert.throws(
      () => t.tokenize('a\uD800b'),
      (e: unknown) => e instanceof TextInputError && /surrogate at character 1/.test(e.message),
    );
    assert.throws(
      () => t.tokenize('x'.repeat(10_000_000)),
      (e: unknown) => e instanceof TextInputError && /line 1 has 10000000 characters/.test(e.message),
    );
  });

  it('prints no dotenv banner when natural loads', () => {
    const code =
      "import('./packages/nlp/src/tokenize/english.ts').then(m => new m.EnglishTokenizer().tokenize('hi'))";
    const env = { ...process.env };
    delete env.DOTENV_CONFIG_QUIET;
    const cwd = new URL('../../../../', import.meta.url).pathname;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', code], { cwd, encoding: 'utf8', env });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout + r.stderr, '');
  });
});
