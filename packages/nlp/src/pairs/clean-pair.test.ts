import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cleanPair, replaceSpecifiers, stripMarkup } from './clean-pair.js';
import { pairTokenCount, preprocessNmt, segmentChinese } from './pair-tokens.js';

const kept = (src: string, tgt: string, o = {}) => {
  const r = cleanPair(src, tgt, o);
  assert.ok(r.ok, `dropped: ${JSON.stringify(r)}`);
  return [r.src, r.tgt];
};
const reason = (src: string, tgt: string, o = {}) => {
  const r = cleanPair(src, tgt, o);
  return r.ok ? 'kept' : r.reason;
};

describe('cleanPair', () => {
  it('drops empty sides', () => {
    assert.equal(reason('', 'x'), 'empty');
    assert.equal(reason('File', '  '), 'empty');
    assert.equal(reason('<b></b>', '<b></b>'), 'empty', 'empty once the markup is gone');
  });

  it('drops usage texts of more than maxLines lines, joins the others', () => {
    const usage = 'Usage: x\n  -a  all\n  -b  brief\n';
    assert.equal(reason(usage, 'Utilisation : x\n  -a  tout\n  -b  bref\n'), 'multiline');
    assert.deepEqual(kept('Try again\nlater.\n', 'Réessayez\nplus tard.\n'), [
      'Try again later.',
      'Réessayez plus tard.',
    ]);
    assert.equal(reason('a\nb\nc', 'x\ny\nz', { maxLines: 3 }), 'kept');
  });

  it('drops untranslated pairs (equal after cleaning)', () => {
    assert.equal(reason('Description', 'Description'), 'untranslated');
    assert.equal(reason('_File', 'File'), 'untranslated');
    assert.equal(reason('%s: %s', '%s : %s'), 'untranslated');
  });

  it('Chinese targets must hold a Han character when requireHan', () => {
    assert.equal(reason('Save file', 'Save file now', { requireHan: true }), 'wrong-script');
    assert.deepEqual(kept('Save file', '保存文件', { requireHan: true }), ['Save file', '保存文件']);
  });

  it('replaces printf, python and shell specifiers by one placeholder on both sides', () => {
    const cases: [string, string][] = [
      ['%s', '<arg>'],
      ['%d', '<arg>'],
      ['%1$s', '<arg>'],
      ['%-10s', '<arg>'],
      ["%'.2f", '<arg>'],
      ['%lu', '<arg>'],
      ['%*d', '<arg>'],
      ['%.*s', '<arg>'],
      ['%(name)s', '<arg>'],
      ['{0}', '<arg>'],
      ['{name}', '<arg>'],
      ['{0:.2f}', '<arg>'],
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell variable, as written in messages
      ['${HOME}', '<arg>'],
      ['$PATH', '<arg>'],
    ];
    for (const [spec, want] of cases) {
      const r = replaceSpecifiers(`a ${spec} b`);
      assert.equal(r.text.replace(/\s+/g, ' '), `a ${want} b`, spec);
      assert.equal(r.count, 1, spec);
    }
    assert.deepEqual(replaceSpecifiers('100%% done'), { text: '100% done', count: 0 });
    assert.deepEqual(replaceSpecifiers('100 % de'), { text: '100 % de', count: 0 }, 'no space flag');
    assert.deepEqual(kept("cannot stat '%s': %s", "impossible d'évaluer '%1$s' : %2$s"), [
      "cannot stat ' <arg> ': <arg>",
      "impossible d'évaluer ' <arg> ' : <arg>",
    ]);
  });

  it('different specifier counts drop the pair; specifiers: drop drops every pair with one', () => {
    assert.equal(reason('%s files', 'fichiers'), 'format-mismatch');
    assert.equal(reason('%s files', '%s fichiers', { specifiers: 'drop' }), 'format');
    assert.equal(reason('files', 'fichiers', { specifiers: 'drop' }), 'kept');
    assert.deepEqual(kept('%s files', '%s fichiers', { placeholder: 'X' }), ['X files', 'X fichiers']);
  });

  it('strips accelerators only where a letter follows and no word character precedes', () => {
    assert.equal(stripMarkup('_File'), 'File');
    assert.equal(stripMarkup('&Open'), 'Open');
    assert.equal(stripMarkup('Save _As…'), 'Save As…');
    assert.equal(stripMarkup('LC_ALL and file_name'), 'LC_ALL and file_name');
    assert.equal(stripMarkup('Tom & Jerry, __init__, _1'), 'Tom & Jerry, __init__, _1');
    assert.equal(stripMarkup('文件(_F)'), '文件');
    assert.equal(stripMarkup('打开 (&O)'), '打开');
    assert.equal(stripMarkup('保存（_S）'), '保存');
  });

  it('strips markup tags and decodes entities, but keeps <file>-like words', () => {
    assert.equal(stripMarkup('<b>Bold</b> and <span weight="bold">big</span><br/>'), 'Bold and big');
    assert.equal(stripMarkup('Fish &amp; chips &lt;3 &#233;t&#xE9;'), 'Fish & chips <3 été');
    assert.equal(stripMarkup('Usage: cp <source> <dest>'), 'Usage: cp <source> <dest>');
    assert.deepEqual(kept('<i>_Quit</i>', '<i>_Quitter</i>'), ['Quit', 'Quitter']);
  });

  it('normalizes whitespace, non-breaking spaces included', () => {
    assert.deepEqual(kept('  a   b\t c ', 'x\u00a0:\u202fy'), ['a b c', 'x : y']);
  });
});

describe('pair tokens', () => {
  it("preprocessNmt is d2l's preprocess_nmt (§10.5)", () => {
    // d2l: preprocess_nmt("Go.\tVa !") → "go .\tva !"
    assert.equal(preprocessNmt('Go.\tVa !'), 'go .\tva !');
    assert.equal(preprocessNmt('Hi, there! Ok?'), 'hi , there ! ok ?');
    assert.equal(preprocessNmt('Keep Case.', false), 'Keep Case .');
    assert.equal(preprocessNmt('a\u202fb\u00a0c'), 'a b c');
  });

  it('segmentChinese cuts with jieba and keeps the placeholder whole', () => {
    assert.equal(segmentChinese('无法打开文件 <arg>'), '无法 打开 文件 <arg>');
    assert.equal(segmentChinese('<arg>：我来到北京清华大学'), '<arg> ： 我 来到 北京 清华大学');
    assert.equal(pairTokenCount('无法 打开 文件 <arg>'), 4);
    assert.equal(pairTokenCount(''), 0);
  });
});
