import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { PathError } from '@dlpipe/core';
import { MoFormatError, parseMo, readMo } from './mo-file.js';
import { buildMo, type MoMessage } from './mo-writer.js';

const tmp = mkdtempSync(join(tmpdir(), 'dlpipe-mo-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const MESSAGES: MoMessage[] = [
  { msgid: 'File', msgstr: 'Fichier' },
  { context: 'menu', msgid: 'Open', msgstr: 'Ouvrir' },
  {
    msgid: '%d file',
    msgidPlural: '%d files',
    msgstr: '%d fichier',
    msgstrPlural: ['%d fichier', '%d fichiers'],
  },
  { msgid: 'Ünïcode ✓', msgstr: 'Ünïcode ✓ 中文' },
];

function msgfmtAvailable(): boolean {
  try {
    execFileSync('msgfmt', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('parseMo', () => {
  for (const byteOrder of ['le', 'be'] as const) {
    it(`reads a catalog written ${byteOrder === 'le' ? 'little' : 'big'}-endian: contexts, plurals, header`, () => {
      const cat = parseMo(buildMo(MESSAGES, { byteOrder, header: { Language: 'fr' } }), 'x.mo');
      assert.equal(cat.byteOrder, byteOrder);
      assert.equal(cat.charset, 'utf-8');
      assert.equal(cat.header.Language, 'fr');
      assert.equal(cat.entries.length, 4, 'the header entry is left out');
      const byId = new Map(cat.entries.map((e) => [e.msgid, e]));
      assert.deepEqual(byId.get('File'), { msgid: 'File', msgstr: 'Fichier', msgstrPlural: ['Fichier'] });
      assert.deepEqual(byId.get('Open'), {
        context: 'menu',
        msgid: 'Open',
        msgstr: 'Ouvrir',
        msgstrPlural: ['Ouvrir'],
      });
      assert.deepEqual(byId.get('%d file'), {
        msgid: '%d file',
        msgidPlural: '%d files',
        msgstr: '%d fichier',
        msgstrPlural: ['%d fichier', '%d fichiers'],
      });
      assert.equal(byId.get('Ünïcode ✓')?.msgstr, 'Ünïcode ✓ 中文');
    });
  }

  it('decodes the charset the header names (ISO-8859-1 here)', () => {
    const latin1 = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
    const bytes = buildMo([{ msgid: 'Error', msgstr: 'Erreur à lécriture' }], {
      header: { 'Content-Type': 'text/plain; charset=ISO-8859-1' },
      encode: latin1,
    });
    const cat = parseMo(bytes);
    assert.equal(cat.charset, 'iso-8859-1');
    assert.equal(cat.entries[0]?.msgstr, 'Erreur à lécriture');
  });

  it('a catalog without a header entry is UTF-8', () => {
    const cat = parseMo(buildMo([{ msgid: 'a', msgstr: 'é' }], { noHeader: true }));
    assert.deepEqual(cat.header, {});
    assert.equal(cat.entries[0]?.msgstr, 'é');
  });

  it('truncated and corrupt files are MoFormatErrors naming the file and the offset', () => {
    const good = buildMo(MESSAGES);
    const fails = (bytes: Uint8Array, pattern: RegExp) =>
      assert.throws(
        () => parseMo(bytes, 'bad.mo'),
        (e: unknown) => e instanceof MoFormatError && e.exitCode === 2 && pattern.test(e.message),
      );
    fails(
      good.subarray(0, 10),
      /^bad\.mo: .* at byte 10: the file is 10 bytes, shorter than the 28-byte header/,
    );
    fails(new Uint8Array(40), /bad\.mo: .* at byte 0: magic number 0x00000000, expected 0x950412de/);
    fails(
      good.subarray(0, 40),
      /at byte 28: the original table of 5 entries runs past the end of the file \(40 bytes\)/,
    );
    fails(good.subarray(0, good.length - 8), /string \d+ spans bytes \d+\.\.\d+, past the end of the file/);
    const rev = good.slice();
    new DataView(rev.buffer).setUint32(4, 2 << 16, true);
    fails(rev, /at byte 4: format revision 2\.0, expected 0 or 1/);
    const badUtf8 = buildMo([{ msgid: 'a', msgstr: 'b' }], {
      encode: (s) => (s === 'b' ? Uint8Array.of(0xff) : new TextEncoder().encode(s)),
    });
    fails(badUtf8, /a string is not valid utf-8/);
    const badCharset = buildMo([], { header: { 'Content-Type': 'text/plain; charset=KLINGON' } });
    fails(badCharset, /charset 'klingon', which this Node cannot decode/);
  });

  it('readMo: a missing file is a PathError', () => {
    assert.throws(() => readMo(join(tmp, 'nope.mo')), PathError);
  });

  it('reads what msgfmt writes (fuzzy entries are left out by msgfmt)', (t) => {
    if (!msgfmtAvailable()) return t.skip('msgfmt not installed (Debian package gettext)');
    const po = join(tmp, 'x.po');
    writeFileSync(
      po,
      [
        'msgid ""',
        'msgstr ""',
        '"Content-Type: text/plain; charset=UTF-8\\n"',
        '"Plural-Forms: nplurals=2; plural=(n > 1);\\n"',
        '',
        'msgctxt "menu"',
        'msgid "_Open"',
        'msgstr "_Ouvrir"',
        '',
        '#, fuzzy',
        'msgid "Close"',
        'msgstr "Fermer"',
        '',
        'msgid "one line"',
        'msgid_plural "%d lines"',
        'msgstr[0] "une ligne"',
        'msgstr[1] "%d lignes"',
        '',
      ].join('\n'),
    );
    const mo = join(tmp, 'x.mo');
    execFileSync('msgfmt', ['-o', mo, po]);
    const cat = readMo(mo);
    assert.deepEqual(
      cat.entries.map((e) => [e.context, e.msgid, e.msgstr]),
      [
        ['menu', '_Open', '_Ouvrir'],
        [undefined, 'one line', 'une ligne'],
      ],
      'sorted by the original bytes: "menu\\x04_Open" < "one line"',
    );
    assert.equal(cat.header['Plural-Forms'], 'nplurals=2; plural=(n > 1);');
  });

  it('reads a real catalog (grep, French) when installed', (t) => {
    const file = '/usr/share/locale/fr/LC_MESSAGES/grep.mo';
    if (!existsSync(file))
      return t.skip(`${file} not installed (Debian packages grep, and no dpkg locale excludes)`);
    const cat = readMo(file);
    assert.equal(cat.charset, 'utf-8');
    assert.ok(cat.entries.length > 50, `${cat.entries.length} entries`);
    assert.ok(cat.entries.every((e) => e.msgid !== ''));
    assert.ok(cat.entries.some((e) => /fichier/i.test(e.msgstr)));
  });
});
