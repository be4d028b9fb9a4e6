import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { CsvError } from '../errors.js';
import { inferCsvDTypes, readCsv, readCsvChunks } from './csv-read.js';

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
