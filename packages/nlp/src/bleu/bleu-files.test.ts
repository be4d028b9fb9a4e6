/**
 * Reading BLEU inputs as sacreBLEU's command line: `\n` and `\r\n` lines, a final newline or none,
 * a BOM kept, `.gz`; and bad input refused with the file and the counts named.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { OptionsError, PathError } from '@dlpipe/core';
import { TextInputError } from '../errors.js';
import { bleuLines, bleuSegments, scoreBleuFiles } from './bleu-files.js';
import { corpusBleu } from './corpus-bleu.js';
import { SACREBLEU } from './sacrebleu.vectors.js';
import { formatBleuScore } from './signature.js';

const tmp = mkdtempSync(join(tmpdir(), 'dlpipe-bleu-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const file = (name: string, data: string | Uint8Array) => {
  const p = join(tmp, name);
  writeFileSync(p, data);
  return p;
};
const README = SACREBLEU.vectors[0]; // sacreBLEU's README example, 2 references: BLEU = 48.53

describe('bleuLines', () => {
  it("splits as Python's text files with newline='\\n', then rstrip()", () => {
    assert.deepEqual(bleuLines('a\nb\n'), ['a', 'b']);
    assert.deepEqual(bleuLines('a\r\nb'), ['a', 'b']);
    assert.deepEqual(bleuLines('a\n\nb \t\n'), ['a', '', 'b']);
    assert.deepEqual(bleuLines('\n'), ['']);
    assert.deepEqual(bleuLines(''), []);
    assert.deepEqual(bleuLines('a\u2028b\u0085\n'), ['a\u2028b'], 'only \\n ends a line');
  });
});

describe('scoreBleuFiles', () => {
  it("scores files as sacreBLEU's README example (CRLF, gzip, no final newline)", () => {
    const hyp = file('hyp.txt', `${README.hyps.join('\r\n')}\r\n`);
    const r1 = file('r1.txt', README.refs[0]!.join('\n'));
    const r2 = file('r2.txt.gz', gzipSync(`${README.refs[1]!.join('\n')}\n`));
    const r = scoreBleuFiles({ refs: [r1, r2], hyp });
    assert.equal(formatBleuScore(r.score), README.line);
    assert.equal(r.signature, 'nrefs:2|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0');
  });

  it('keeps a BOM, as Python does', () => {
    const hyp = file('bom.txt', '\ufeffhello world\n');
    const ref = file('bom-ref.txt', 'hello world\n');
    const r = scoreBleuFiles({ refs: [ref], hyp });
    assert.deepEqual(r.score.counts, corpusBleu(['\ufeffhello world'], [['hello world']]).score.counts);
    assert.equal(r.score.counts[0], 1, '"\\ufeffhello" is not "hello"');
  });

  it('refuses mismatched line counts, naming the files and counts', () => {
    const hyp = file('h3.txt', 'a\nb\nc\n');
    const r2 = file('r2l.txt', 'a\nb\n');
    const r3 = file('r3l.txt', 'a\nb\nc\n');
    assert.throws(
      () => scoreBleuFiles({ refs: [r2], hyp }),
      (e: unknown) =>
        e instanceof TextInputError && /h3\.txt: 3 lines, but the reference .*r2l\.txt has 2/.test(e.message),
    );
    assert.throws(
      () => scoreBleuFiles({ refs: [r3, r2], hyp }),
      (e: unknown) =>
        e instanceof TextInputError && /r2l\.txt: 2 lines, but .*r3l\.txt has 3/.test(e.message),
    );
  });

  it('refuses empty files, missing files, folders, bad UTF-8 and cut gzip, naming the file', () => {
    const good = file('good.txt', 'a b\n');
    const empty = file('empty.txt', '');
    assert.throws(
      () => scoreBleuFiles({ refs: [good], hyp: empty }),
      /empty\.txt: empty \(0 lines\); expected the hypothesis/,
    );
    assert.throws(
      () => scoreBleuFiles({ refs: [empty], hyp: good }),
      /empty\.txt: empty \(0 lines\); expected the reference/,
    );
    assert.throws(
      () => scoreBleuFiles({ refs: [good], hyp: join(tmp, 'nope.txt') }),
      (e: unknown) =>
        e instanceof PathError && /nope\.txt: no such file \(the hypothesis file\)/.test(e.message),
    );
    mkdirSync(join(tmp, 'dir'));
    assert.throws(() => scoreBleuFiles({ refs: [join(tmp, 'dir')], hyp: good }), /dir: is a folder/);
    const latin = file('latin.txt', Buffer.from('caf\xe9\n', 'latin1'));
    assert.throws(() => scoreBleuFiles({ refs: [latin], hyp: good }), /latin\.txt: invalid UTF-8 at byte 3/);
    const cut = gzipSync('a b\n'.repeat(100));
    const cutGz = file('cut.txt.gz', cut.subarray(0, cut.length >> 1));
    assert.throws(
      () => scoreBleuFiles({ refs: [cutGz], hyp: good }),
      /cut\.txt\.gz: not a complete gzip file/,
    );
    assert.throws(() => scoreBleuFiles({ refs: [], hyp: good }), /no reference file/);
  });

  it('refuses unknown tokenizers and smoothing methods with the choices', () => {
    const good = file('good2.txt', 'a b\n');
    assert.throws(
      // @ts-expect-error: an unknown tokenizer, as from untyped input
      () => scoreBleuFiles({ refs: [good], hyp: good, tokenize: 'ja-mecab' }),
      (e: unknown) =>
        e instanceof OptionsError &&
        /unknown tokenizer 'ja-mecab' \(sacreBLEU's .*not implemented\); expected one of 13a, intl, zh, char, none/.test(
          e.message,
        ),
    );
    assert.throws(() => scoreBleuFiles({ refs: [good], hyp: good, smoothValue: -1 }), OptionsError);
  });

  it('bleuSegments keeps empty lines as empty segments', () => {
    const s = bleuSegments({ source: 'h', text: '\nx\n' }, [{ source: 'r', text: 'a\nx\n' }]);
    assert.deepEqual(s, { hyps: ['', 'x'], refs: [['a', 'x']] });
  });
});
