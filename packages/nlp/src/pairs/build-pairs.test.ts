import assert from 'node:assert/strict';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { OptionsError, PathError } from '@dlpipe/core';
import { CorpusError } from '../errors.js';
import { buildPairs, type PairsStats, writePairsBuild } from './build-pairs.js';
import { findCatalogs } from './catalogs.js';
import { buildMo, type MoMessage } from './mo-writer.js';
import { loadPairs, readPairsTsv } from './pairs-tsv.js';
import { dedupKey, splitOf } from './split.js';

const tmp = mkdtempSync(join(tmpdir(), 'dlpipe-pairs-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function writeMo(
  dir: string,
  locale: string,
  name: string,
  messages: MoMessage[],
  byteOrder: 'le' | 'be' = 'le',
) {
  const folder = join(dir, locale, 'LC_MESSAGES');
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, `${name}.mo`), buildMo(messages, { byteOrder }));
}

/** A locale folder with three French catalogs (two locales), one simplified and one traditional Chinese. */
function fixtureLocale(): string {
  const dir = join(tmp, 'locale');
  writeMo(dir, 'fr', 'alpha', [
    { msgid: 'Open the _file %s', msgstr: 'Ouvrir le _fichier %s' },
    { msgid: 'File', msgstr: 'Fichier' }, // too-short
    { msgid: 'Description', msgstr: 'Description' }, // untranslated
    { msgid: 'Usage: x\n -a all\n -b brief\n', msgstr: 'Utilisation : x\n -a tout\n -b bref\n' }, // multiline
    { msgid: '%s files', msgstr: 'fichiers' }, // format-mismatch
    { msgid: 'Close the window.', msgstr: 'Fermer la fenêtre.' },
    { msgid: 'Save changes', msgstr: '' }, // empty
    {
      msgid: '%d file removed',
      msgidPlural: '%d files removed',
      msgstr: '%d fichier supprimé',
      msgstrPlural: ['%d fichier supprimé', '%d fichiers supprimés'],
    },
    { context: 'menu', msgid: 'Quit the program', msgstr: 'Quitter le programme' },
    { msgid: 'word '.repeat(40), msgstr: 'mot '.repeat(40) }, // too-long
  ]);
  writeMo(
    dir,
    'fr',
    'beta',
    [
      { msgid: 'Close the window.', msgstr: 'Fermez la fenêtre.' },
      { msgid: '<b>Bold</b> text here', msgstr: 'Texte <b>en gras</b> ici' },
    ],
    'be',
  );
  writeMo(dir, 'fr_FR', 'gamma', [
    { msgid: 'Close the window.', msgstr: 'Fermez la fenêtre.' },
    { msgid: 'Quit the program', msgstr: 'Quitter le programme' },
  ]);
  writeMo(dir, 'zh_CN', 'alpha', [
    { msgid: 'Open the file %s', msgstr: '打开文件 %s' },
    { msgid: 'Save file', msgstr: 'Save file now' }, // wrong-script
  ]);
  writeMo(dir, 'zh_TW', 'alpha', [{ msgid: 'Open the file %s', msgstr: '開啟檔案 %s' }]);
  return dir;
}

const locale = fixtureLocale();

/** messages = kept + Σ dropped. */
function assertBalanced(s: PairsStats) {
  const dropped = Object.values(s.dropped).reduce((a, b) => a + b, 0);
  assert.equal(s.messages, s.kept + dropped, JSON.stringify(s.dropped));
  assert.equal(s.kept, s.splits.train + s.splits.val + s.splits.test);
  assert.equal(
    s.kept,
    Object.values(s.packages).reduce((a, p) => a + p.kept, 0),
  );
}

describe('findCatalogs', () => {
  it('French reads fr and fr_FR, sorted by package; zh_TW is not mixed into zh', () => {
    assert.deepEqual(
      findCatalogs('fr', [locale]).map((c) => [c.package, c.locale]),
      [
        ['alpha', 'fr'],
        ['beta', 'fr'],
        ['gamma', 'fr_FR'],
      ],
    );
    assert.deepEqual(
      findCatalogs('zh', [locale]).map((c) => c.locale),
      ['zh_CN'],
    );
    assert.deepEqual(
      findCatalogs('zh_TW', [locale]).map((c) => c.locale),
      ['zh_TW'],
    );
  });

  it('a missing folder is a PathError; no catalogs for the language a CorpusError naming packages to install', () => {
    assert.throws(() => findCatalogs('fr', [join(tmp, 'nope')]), PathError);
    const empty = join(tmp, 'empty');
    mkdirSync(join(empty, 'de', 'LC_MESSAGES'), { recursive: true });
    assert.throws(
      () => findCatalogs('fr', [empty]),
      (e: unknown) =>
        e instanceof CorpusError &&
        e.exitCode === 2 &&
        /no gettext catalogs for 'fr': found no fr\/LC_MESSAGES\/\*\.mo, fr_FR\/LC_MESSAGES\/\*\.mo under .*apt-get install libc-l10n/.test(
          e.message,
        ),
    );
  });
});

describe('buildPairs', () => {
  it('en–fr: every rule counted, dedup keeps the most common translation, stats per package', () => {
    const { splits, stats } = buildPairs({ lang: 'fr', localeDirs: [locale] });
    assert.equal(stats.catalogs, 3);
    assert.equal(stats.messages, 14);
    assert.equal(stats.kept, 5);
    assert.deepEqual(stats.dropped, {
      empty: 1,
      multiline: 1,
      format: 0,
      'format-mismatch': 1,
      untranslated: 1,
      'wrong-script': 0,
      'too-short': 1,
      'too-long': 1,
      duplicate: 3,
    });
    assert.deepEqual(stats.packages, {
      alpha: { messages: 10, kept: 3 },
      beta: { messages: 2, kept: 2 },
      gamma: { messages: 2, kept: 0 },
    });
    assertBalanced(stats);
    const all = [...splits.train, ...splits.val, ...splits.test];
    const bySrc = new Map(all.map((r) => [r.src, r]));
    assert.deepEqual(bySrc.get('Close the window.'), {
      src: 'Close the window.',
      tgt: 'Fermez la fenêtre.',
      srcTok: 'close the window .',
      tgtTok: 'fermez la fenêtre .',
      package: 'beta',
    });
    assert.equal(bySrc.get('Open the file <arg>')?.tgtTok, 'ouvrir le fichier <arg>');
    assert.equal(bySrc.get('<arg> file removed')?.tgt, '<arg> fichier supprimé');
    assert.equal(bySrc.get('Quit the program')?.package, 'alpha');
    assert.equal(bySrc.get('Bold text here')?.tgt, 'Texte en gras ici');
    for (const s of ['train', 'val', 'test'] as const) {
      for (const r of splits[s]) assert.equal(splitOf(dedupKey(r.src)), s, r.src);
    }
    // sources: 'open the file <arg>', 'close the window .' (4 tokens); three of 3 tokens
    assert.deepEqual(stats.lengths.src, { min: 3, max: 4, mean: 3.4, histogram: [0, 0, 0, 3, 2] });
  });

  it('en–zh: jieba-segmented targets, Han required, zh_TW left out', () => {
    const { splits, stats } = buildPairs({ lang: 'zh', localeDirs: [locale] });
    assert.equal(stats.catalogs, 1);
    assert.equal(stats.dropped['wrong-script'], 1);
    const all = [...splits.train, ...splits.val, ...splits.test];
    assert.deepEqual(
      all.map((r) => [r.srcTok, r.tgt, r.tgtTok]),
      [['open the file <arg>', '打开文件 <arg>', '打开 文件 <arg>']],
    );
    assertBalanced(stats);
    const tw = buildPairs({ lang: 'zh_TW', localeDirs: [locale] });
    assert.equal(tw.stats.kept, 1);
    assert.equal(tw.splits.train.concat(tw.splits.val, tw.splits.test)[0]?.tgt, '開啟檔案 <arg>');
  });

  it('options: length bounds, specifiers dropped, lowercase off; minLen > maxLen is an OptionsError', () => {
    const wide = buildPairs({ lang: 'fr', localeDirs: [locale], minLen: 1, maxLen: 100 });
    assert.equal(wide.stats.dropped['too-short'], 0);
    assert.equal(wide.stats.dropped['too-long'], 0);
    const strict = buildPairs({ lang: 'fr', localeDirs: [locale], specifiers: 'drop', lowercase: false });
    assert.equal(strict.stats.dropped.format, 3);
    const tok = [...strict.splits.train, ...strict.splits.val, ...strict.splits.test].map((r) => r.srcTok);
    assert.ok(tok.includes('Close the window .'), tok.join(' | '));
    assert.throws(
      () => buildPairs({ lang: 'fr', localeDirs: [locale], minLen: 10, maxLen: 3 }),
      (e: unknown) => e instanceof OptionsError && /minLen must be at most maxLen/.test(e.message),
    );
  });

  it('a corrupt catalog is skipped and listed; the others still build', () => {
    const dir = join(tmp, 'corrupt');
    writeMo(dir, 'fr', 'good', [{ msgid: 'Close the window.', msgstr: 'Fermer la fenêtre.' }]);
    writeFileSync(join(dir, 'fr', 'LC_MESSAGES', 'bad.mo'), 'not a catalog at all, just text');
    const { stats } = buildPairs({ lang: 'fr', localeDirs: [dir] });
    assert.equal(stats.kept, 1);
    assert.equal(stats.badCatalogs.length, 1);
    assert.match(
      stats.badCatalogs[0]?.error ?? '',
      /bad\.mo: not a valid gettext \.mo catalog at byte 0: magic number/,
    );
  });

  it('writePairsBuild writes the TSV splits, stats and histogram; loadPairs reads them back', () => {
    const build = buildPairs({ lang: 'fr', localeDirs: [locale] });
    const out = join(tmp, 'out');
    const files = writePairsBuild(build, out);
    assert.deepEqual(readdirSync(out).sort(), [
      'lengths-en-fr.png',
      'lengths-en-fr.svg',
      'pairs-en-fr.test.tsv',
      'pairs-en-fr.train.tsv',
      'pairs-en-fr.val.tsv',
      'stats-en-fr.json',
    ]);
    assert.equal(files.length, 6);
    assert.deepEqual(
      JSON.parse(readFileSync(join(out, 'stats-en-fr.json'), 'utf8')),
      JSON.parse(JSON.stringify(build.stats)),
    );
    const png = readFileSync(join(out, 'lengths-en-fr.png'));
    assert.equal(png.subarray(1, 4).toString(), 'PNG');
    for (const split of ['train', 'val', 'test'] as const) {
      assert.deepEqual(readPairsTsv(join(out, `pairs-en-fr.${split}.tsv`)), build.splits[split]);
      assert.deepEqual(
        loadPairs(out, 'fr', split),
        build.splits[split].map((r) => [r.srcTok, r.tgtTok]),
      );
      assert.deepEqual(
        loadPairs(out, 'fr', split, { columns: 'raw' }),
        build.splits[split].map((r) => [r.src, r.tgt]),
      );
    }
    assert.throws(
      () => loadPairs(out, 'zh', 'train'),
      /pairs-en-zh\.train\.tsv: no such pair file; build it with `pnpm nlp pairs build --lang zh/,
    );
    writeFileSync(join(out, 'pairs-en-fr.val.tsv'), 'a\tb\n');
    assert.throws(() => loadPairs(out, 'fr', 'val'), /line 1 is not the header/);
  });

  it('builds from the catalogs installed on this machine (coreutils, grep, sed, tar)', (t) => {
    const packages = ['coreutils', 'grep', 'sed', 'tar'];
    const fr = '/usr/share/locale/fr/LC_MESSAGES';
    const missing = packages.filter((p) => !existsSync(join(fr, `${p}.mo`)));
    if (missing.length > 0)
      return t.skip(`no ${missing.join(', ')} catalogs in ${fr} (Debian packages of the same names)`);
    const { stats } = buildPairs({ lang: 'fr', packages });
    assertBalanced(stats);
    assert.deepEqual(Object.keys(stats.packages), packages);
    for (const p of packages)
      assert.ok((stats.packages[p]?.kept ?? 0) > 20, `${p}: ${JSON.stringify(stats.packages[p])}`);
    t.diagnostic(`en–fr: ${stats.kept} pairs from ${stats.catalogs} catalogs`);
  });

  it('a package with no catalog is a CorpusError', () => {
    assert.throws(
      () => buildPairs({ lang: 'fr', localeDirs: [locale], packages: ['alpha', 'nope'] }),
      (e: unknown) =>
        e instanceof CorpusError &&
        /no catalog for package 'nope'; found 3 catalogs: alpha, beta, gamma/.test(e.message),
    );
  });
});
