import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { CsvError } from '../errors.js';
import { CELLS_PER_CHUNK, inferCsvDTypes, readCsv, readCsvChunks } from './csv-read.js';

const tmp = mkdtempSync(join(tmpdir(), 'dlpipe-csv-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
function file(name: string, text: string | Buffer): string {
  const p = join(tmp, name);
  writeFileSync(p, text);
  return p;
}

describe('readCsv', () => {
  it('infers int, float, bool, date and string columns; empty and NA texts are missing', async () => {
    const p = file(
      'types.csv',
      'i,f,b,d,s\n1,1.5,true,2024-01-02,a\n-2,NaN,False,2024-01-03T04:05:06Z,NA\n,1e3,,,c\n',
    );
    const t = await readCsv(p);
    assert.deepEqual(t.dtypes, { i: 'int', f: 'float', b: 'bool', d: 'date', s: 'string' });
    assert.deepEqual(Array.from(t.numeric('i')), [1, -2, Number.NaN]);
    assert.deepEqual(Array.from(t.numeric('f')), [1.5, Number.NaN, 1000]);
    assert.deepEqual(t.column('b').data, [true, false, null]);
    assert.deepEqual(Array.from(t.numeric('d')), [
      Date.UTC(2024, 0, 2),
      Date.UTC(2024, 0, 3, 4, 5, 6),
      Number.NaN,
    ]);
    assert.deepEqual(t.column('s').data, ['a', null, 'c']);
  });

  it('reads quoted fields with delimiters, doubled quotes and embedded newlines, and strips a BOM', async () => {
    const p = file('quoted.csv', '\ufeffname,note\n"Smith, J","said ""hi"""\n"multi\nline",x\n');
    const t = await readCsv(p);
    assert.deepEqual(t.columnNames, ['name', 'note']);
    assert.deepEqual(t.column('name').data, ['Smith, J', 'multi\nline']);
    assert.deepEqual(t.column('note').data, ['said "hi"', 'x']);
    assert.deepEqual(Array.from(t.source!.lines!), [2, 3]); // where each row starts
  });

  it('reads other delimiters, usecols, dtype overrides and cleans headers as pandas does', async () => {
    const p = file('semi.csv', 'a;a;;zip\n1;2;3;01234\n');
    const t = await readCsv(p, { delimiter: ';', dtypes: { zip: 'string' } });
    assert.deepEqual(t.columnNames, ['a', 'a.1', 'Unnamed: 2', 'zip']);
    assert.equal(t.column('zip').data[0], '01234');
    const u = await readCsv(p, { delimiter: ';', usecols: ['zip', 'a'] });
    assert.deepEqual(u.columnNames, ['zip', 'a']);
    assert.equal(u.numeric('zip')[0], 1234);
    const tsv = await readCsv(file('t.tsv', 'x\ty\n1\t2\n'), { delimiter: '\t' });
    assert.deepEqual(tsv.row(0), { x: 1, y: 2 });
  });

  it('a wrong delimiter is an error naming the file, line 1 and the delimiter to use', async () => {
    const p = file('wrong.csv', 'a;b;c\n1;2;3\n');
    await assert.rejects(readCsv(p), (e: Error) => {
      assert.ok(e instanceof CsvError);
      assert.match(e.message, /wrong\.csv, line 1: .*looks ';'-separated; pass delimiter ';'/);
      return true;
    });
  });

  it('a row with too many fields names file and line; --on-bad-row skip drops and reports it', async () => {
    const p = file('bad.csv', 'a,b\n1,2\n3,4,5\n6,7\n');
    await assert.rejects(readCsv(p), /bad\.csv, line 3: has 3 fields but the header has 2/);
    const skipped: CsvError[] = [];
    const t = await readCsv(p, { onBadRow: 'skip', onSkip: (e) => skipped.push(e) });
    assert.deepEqual(Array.from(t.numeric('a')), [1, 6]);
    assert.equal(skipped.length, 1);
    assert.equal(skipped[0]!.line, 3);
  });

  it('an unclosed quote is a CsvError with the line', async () => {
    const p = file('quote.csv', 'a,b\n1,"open\n2,3\n');
    await assert.rejects(
      readCsv(p),
      (e: Error) => e instanceof CsvError && /quote\.csv, line \d+: .*Quote Not Closed/i.test(e.message),
    );
  });

  it('a value that does not fit a requested dtype names file, line and column', async () => {
    const p = file('num.csv', 'x,y\n1,2\n3,abc\n');
    await assert.rejects(readCsv(p, { dtypes: { y: 'float' } }), (e: Error) => {
      assert.ok(e instanceof CsvError);
      assert.equal(e.line, 3);
      assert.equal(e.column, 'y');
      assert.match(e.message, /num\.csv, line 3, column 'y': 'abc' is not a number/);
      return true;
    });
  });

  it('an empty file says so; a header-only file gives an empty table', async () => {
    await assert.rejects(readCsv(file('empty.csv', '')), /empty\.csv: is empty/);
    const t = await readCsv(file('header.csv', 'a,b\n'));
    assert.deepEqual(t.columnNames, ['a', 'b']);
    assert.equal(t.nRows, 0);
  });
});

describe('bad bytes and absurd widths', () => {
  it('invalid UTF-8 is a CsvError naming file, line and byte offset (also inside gzip, also past a chunk)', async () => {
    const p = file('bad-utf8.csv', Buffer.from('a,b\n1,\xff\xfe\n', 'latin1'));
    await assert.rejects(readCsv(p), (e: Error) => {
      assert.ok(e instanceof CsvError, String(e));
      assert.match(e.message, /bad-utf8\.csv, line 2: invalid UTF-8 at byte 6 \(0xff 0xfe 0x0a\)/);
      assert.match(e.message, /--encoding latin1.*--invalid-utf8 replace/);
      return true;
    });
    const far = Buffer.concat([
      Buffer.from(`a,b\n${'1,é\n'.repeat(400_000)}`),
      Buffer.from('2,\xe9t\xe9\n', 'latin1'),
    ]);
    const gz = file('bad-utf8.csv.gz', gzipSync(far));
    await assert.rejects(
      readCsv(gz),
      /bad-utf8\.csv\.gz, line 400002: invalid UTF-8 at byte 2000006 \(0xe9 0x74/,
    );
  });

  it("invalidUtf8 'replace' reads U+FFFD; encoding 'latin1' reads every byte as a character", async () => {
    const p = file('latin1.csv', Buffer.from('a,b\n1,caf\xe9\n', 'latin1'));
    assert.deepEqual((await readCsv(p, { invalidUtf8: 'replace' })).toRows(), [{ a: 1, b: 'caf\ufffd' }]);
    assert.deepEqual((await readCsv(p, { encoding: 'latin1' })).toRows(), [{ a: 1, b: 'café' }]);
    const utf16 = file(
      'utf16.csv',
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a,b\n', 'utf16le')]),
    );
    await assert.rejects(readCsv(utf16), /byte 0 .*UTF-16 byte-order mark/);
  });

  it('a header of a million columns is refused within a second or two, naming the limit and the flag', async () => {
    const p = file('wide.csv', `${Array.from({ length: 1_000_000 }, (_, i) => `c${i}`).join(',')}\n1\n`);
    const t0 = performance.now();
    await assert.rejects(
      readCsv(p),
      /wide\.csv, line 1: the first row has at least 100001 fields, more than the limit of 100000 columns.*--max-columns/,
    );
    assert.ok(performance.now() - t0 < 3000, `took ${performance.now() - t0} ms`);
    const q = file('wide-ok.csv', 'a,b,c\n1,2,3\n');
    await assert.rejects(readCsv(q, { maxColumns: 2 }), /at least 3 fields, more than the limit of 2/);
  });

  it('a wide table is streamed in chunks of at most CELLS_PER_CHUNK cells', async () => {
    const n = 5000;
    const row = Array.from({ length: n }, (_, i) => i).join(',');
    const p = file(
      'wide-rows.csv',
      `${Array.from({ length: n }, (_, i) => `c${i}`).join(',')}\n${`${row}\n`.repeat(2000)}`,
    );
    const sizes: number[] = [];
    for await (const chunk of readCsvChunks(p, { chunkRows: 65536, inferRows: 10 })) sizes.push(chunk.nRows);
    const most = Math.floor(CELLS_PER_CHUNK / n);
    assert.deepEqual(sizes, [most, most, 2000 - 2 * most]);
  });
});

describe('readCsvChunks', () => {
  const rows = Array.from({ length: 25 }, (_, i) => `${i},${i === 20 ? 2.5 : i},${i % 3 ? 'x' : ''}`);
  const p = file('chunks.csv', `a,b,c\n${rows.join('\n')}\n`);

  it('streams fixed-size chunks whose dtypes come from a first pass over the whole file', async () => {
    const sizes: number[] = [];
    const b: number[] = [];
    for await (const chunk of readCsvChunks(p, { chunkRows: 10 })) {
      sizes.push(chunk.nRows);
      assert.deepEqual(chunk.dtypes, { a: 'int', b: 'float', c: 'string' });
      b.push(...chunk.numeric('b'));
    }
    assert.deepEqual(sizes, [10, 10, 5]);
    assert.equal(b[20], 2.5);
    assert.deepEqual(await inferCsvDTypes(p), { a: 'int', b: 'float', c: 'string' });
  });

  it('with inferRows N, a later value outside the inferred dtype is an error at its line', async () => {
    const it = readCsvChunks(p, { chunkRows: 10, inferRows: 10, batchRows: 5 });
    await assert.rejects(
      (async () => {
        for await (const _ of it) void _;
      })(),
      /chunks\.csv, line 22, column 'b': '2\.5' is not an integer/,
    );
  });
});
