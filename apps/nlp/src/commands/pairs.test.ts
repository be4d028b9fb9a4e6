import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it, type TestContext } from 'node:test';
import { dispatchCommand, OptionsError } from '@dlpipe/core';
import { buildMo, loadPairs, type MoMessage, type PairsStats } from '@dlpipe/nlp';
import { pairs } from './pairs.js';

const tmp = mkdtempSync(join(tmpdir(), 'dlpipe-pairs-cmd-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function writeMo(dir: string, locale: string, name: string, messages: MoMessage[]) {
  mkdirSync(join(dir, locale, 'LC_MESSAGES'), { recursive: true });
  writeFileSync(join(dir, locale, 'LC_MESSAGES', `${name}.mo`), buildMo(messages));
}

const locale = join(tmp, 'locale');
writeMo(locale, 'fr', 'coreutils', [
  { msgid: 'cannot open %s for reading', msgstr: 'impossible d’ouvrir %s en lecture' },
  { msgid: 'write error', msgstr: 'erreur d’écriture' },
  { msgid: 'File', msgstr: 'Fichier' }, // too-short
  { msgid: 'Help', msgstr: 'Help' }, // untranslated
]);
writeMo(locale, 'fr', 'grep', [
  { msgid: 'write error', msgstr: 'erreur d’écriture' }, // duplicate
  { msgid: '<b>invalid</b> _regular expression', msgstr: 'expression <b>rationnelle</b> _invalide' },
]);
writeMo(locale, 'zh_CN', 'grep', [{ msgid: 'write error', msgstr: '写错误' }]);

/** The command's result (lines and data) for argv, without printing. */
async function run(...argv: string[]) {
  const ctx = { app: 'nlp', command: 'pairs', signal: new AbortController().signal, json: false };
  return pairs.spec.run(pairs.parse(argv), ctx) as Promise<{
    lines: string[];
    data: PairsStats & { files: string[] };
  }>;
}

/** Exit code and stderr of the command run as `pnpm nlp pairs …` would. */
async function dispatch(t: TestContext, ...argv: string[]) {
  const errors: string[] = [];
  t.mock.method(console, 'error', (...a: unknown[]) => errors.push(a.join(' ')));
  t.mock.method(process.stdout, 'write', () => true);
  const code = await dispatchCommand('nlp', { pairs }, ['pairs', ...argv]);
  t.mock.restoreAll();
  return { code, stderr: errors.join('\n') };
}

describe('nlp pairs build', () => {
  it('parses its flags with defaults', () => {
    const v = pairs.parse(['build']);
    assert.equal(v.lang, 'fr');
    assert.equal(v.out, 'runs/pairs');
    assert.equal(v.minLen, 2);
    assert.equal(v.maxLen, 30);
    assert.equal(v.seed, 0);
    assert.equal(v.localeDir, undefined);
    const w = pairs.parse([
      'build',
      '--lang',
      'zh',
      '--locale-dir',
      'a',
      '--locale-dir',
      'b',
      '--min-len',
      '3',
      '--keep-case',
    ]);
    assert.deepEqual([w.lang, w.localeDir, w.minLen, w.keepCase], ['zh', ['a', 'b'], 3, true]);
    assert.throws(() => pairs.parse(['build', '--lang', 'de']), OptionsError);
    assert.throws(() => pairs.parse(['train']), OptionsError);
  });

  it('writes the splits, stats and histogram of a locale folder of generated catalogs', async () => {
    const out = join(tmp, 'out');
    const r = await run('build', '--locale-dir', locale, '--out', out);
    assert.equal(r.data.catalogs, 2);
    assert.equal(r.data.messages, 6);
    assert.equal(r.data.kept, 3);
    assert.equal(r.data.dropped['too-short'], 1);
    assert.equal(r.data.dropped.untranslated, 1);
    assert.equal(r.data.dropped.duplicate, 1);
    assert.deepEqual(r.data.packages, {
      coreutils: { messages: 4, kept: 2 },
      grep: { messages: 2, kept: 1 },
    });
    assert.match(
      r.lines[0] ?? '',
      /^en–fr: 3 pairs \(train \d+, val \d+, test \d+\) from 6 messages in 2 catalogs$/,
    );
    assert.deepEqual(readdirSync(out).sort(), [
      'lengths-en-fr.png',
      'lengths-en-fr.svg',
      'pairs-en-fr.test.tsv',
      'pairs-en-fr.train.tsv',
      'pairs-en-fr.val.tsv',
      'stats-en-fr.json',
    ]);
    const stats = JSON.parse(readFileSync(join(out, 'stats-en-fr.json'), 'utf8')) as PairsStats;
    assert.equal(stats.kept, 3);
    const all = (['train', 'val', 'test'] as const).flatMap((s) => loadPairs(out, 'fr', s));
    assert.deepEqual(all.sort(), [
      ['cannot open <arg> for reading', 'impossible d’ouvrir <arg> en lecture'],
      ['invalid regular expression', 'expression rationnelle invalide'],
      ['write error', 'erreur d’écriture'],
    ]);
    const zh = await run('build', '--locale-dir', locale, '--out', out, '--lang', 'zh', '--min-len', '1');
    assert.equal(zh.data.kept, 1);
    assert.deepEqual(
      (['train', 'val', 'test'] as const).flatMap((s) => loadPairs(out, 'zh', s)),
      [['write error', '写 错误']],
    );
  });

  it('bad input exits 2 with one clear line', async (t) => {
    const missing = await dispatch(t, 'build', '--locale-dir', join(tmp, 'nope'));
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /nope: no such folder \(the locale folder \(--locale-dir\)\)/);
    const empty = join(tmp, 'empty');
    mkdirSync(join(empty, 'de', 'LC_MESSAGES'), { recursive: true });
    const none = await dispatch(t, 'build', '--locale-dir', empty, '--out', join(tmp, 'o2'));
    assert.equal(none.code, 2);
    assert.match(none.stderr, /no gettext catalogs for 'fr'.*apt-get install libc-l10n/);
    const none_zh = await dispatch(
      t,
      'build',
      '--locale-dir',
      locale,
      '--lang',
      'zh_TW',
      '--out',
      join(tmp, 'o3'),
    );
    assert.equal(none_zh.code, 2);
    assert.match(none_zh.stderr, /no gettext catalogs for 'zh_TW': found no zh_TW\/LC_MESSAGES/);
    const lens = await dispatch(
      t,
      'build',
      '--locale-dir',
      locale,
      '--min-len',
      '10',
      '--max-len',
      '3',
      '--out',
      join(tmp, 'o4'),
    );
    assert.equal(lens.code, 2);
    assert.match(lens.stderr, /--min-len 10 is more than --max-len 3; give --min-len <= --max-len/);
    const neg = await dispatch(t, 'build', '--min-len=-1');
    assert.equal(neg.code, 2);
    assert.match(neg.stderr, /--min-len '-1'/);
    const file = join(tmp, 'a-file');
    writeFileSync(file, 'x');
    const outFile = await dispatch(t, 'build', '--locale-dir', locale, '--out', file);
    assert.equal(outFile.code, 2);
    assert.match(outFile.stderr, /a-file/);
    for (const r of [missing, none, none_zh, lens, neg, outFile])
      assert.equal(r.stderr.split('\n').length, 1, r.stderr);
  });
});
