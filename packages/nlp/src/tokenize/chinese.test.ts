import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { TokenizerError } from '../errors.js';
import { ChineseTokenizer } from './chinese.js';

// References: jieba's README examples (我来到北京清华大学 in precise/full/search modes).
describe('ChineseTokenizer', () => {
  it('cuts in precise, full and search modes as jieba', () => {
    const s = '我来到北京清华大学';
    assert.deepEqual(new ChineseTokenizer().tokenize(s), ['我', '来到', '北京', '清华大学']);
    assert.deepEqual(new ChineseTokenizer({ mode: 'full' }).tokenize(s), [
      '我',
      '来到',
      '北京',
      '清华',
      '清华大学',
      '华大',
      '大学',
    ]);
    assert.deepEqual(new ChineseTokenizer({ mode: 'search' }).tokenize(s), [
      '我',
      '来到',
      '北京',
      '清华',
      '华大',
      '大学',
      '清华大学',
    ]);
    assert.ok(new ChineseTokenizer({ mode: 'hmm' }).tokenize(s).includes('清华大学'));
  });

  it('keeps English words, numbers and emoji whole in mixed text, with or without HMM', () => {
    const s = '学习Deep Learning，2024年GPU很快😀';
    const want = ['学习', 'Deep', 'Learning', '，', '2024', '年', 'GPU', '很快', '😀'];
    assert.deepEqual(new ChineseTokenizer().tokenize(s), want);
    assert.deepEqual(new ChineseTokenizer({ hmm: false }).tokenize(s), want);
  });

  it('NFKC folds full-width punctuation and letters', () => {
    assert.deepEqual(new ChineseTokenizer({ nfkc: true }).tokenize('你好，世界！ＡＢＣ'), [
      '你好',
      ',',
      '世界',
      '!',
      'ABC',
    ]);
  });

  it('tags parts of speech and extracts keywords', () => {
    const zh = new ChineseTokenizer();
    assert.deepEqual(zh.tag('我爱北京天安门 hello'), [
      { word: '我', tag: 'r' },
      { word: '爱', tag: 'v' },
      { word: '北京', tag: 'ns' },
      { word: '天安门', tag: 'ns' },
      { word: 'hello', tag: 'eng' },
    ]);
    assert.equal(zh.keywords('我来到北京清华大学，清华大学是一所大学', 1)[0]?.word, '清华大学');
    assert.throws(() => zh.keywords('x', 0), TokenizerError);
  });

  it('user words and a user dictionary change the cut', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dlpipe-jieba-'));
    const dict = join(dir, 'user.dict.utf8');
    writeFileSync(dict, '深度学习框架 10 n\n');
    const zh = new ChineseTokenizer({ userDict: dict, userWords: ['蓝翔优秀毕业生'] });
    assert.deepEqual(zh.tokenize('蓝翔优秀毕业生用深度学习框架'), ['蓝翔优秀毕业生', '用', '深度学习框架']);
    assert.throws(() => new ChineseTokenizer({ userDict: join(dir, 'nope.txt') }), /not found/);
  });

  it('empty text gives no tokens', () => {
    assert.deepEqual(new ChineseTokenizer().tokenize(''), []);
  });
});
