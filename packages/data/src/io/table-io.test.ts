import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { DataFormatError } from '../errors.js';
import { Table } from '../table/table.js';
import { convertTable, readTable, writeTable } from './table-io.js';

const tmp = mkdtempSync(join(tmpdir(), 'dlpipe-io-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** A table with every dtype, awkward strings and missing values. */
function sample(n: number): Table {
  return Table.fromColumns({
    id: Array.from({ length: n }, (_, i) => i),
    x: Array.from({ length: n }, (_, i) => (i % 7 === 3 ? null : Math.sin(i) * 1e3)),
    ok: Array.from({ length: n }, (_, i) => (i % 5 === 0 ? null : i % 2 === 0)),
    text: Array.from({ length: n }, (_, i) =>
      i % 11 === 0 ? null : `row ${i}, "quoted"\nnext ${'é'.repeat(i % 3)}`,
    ),
    day: Array.from({ length: n }, (_, i) => (i % 13 === 0 ? null : new Date(Date.UTC(2020, 0, 1 + i)))),
  });
}

describe('table round trips', () => {
  it('CSV → Feather → CSV.gz → CSV.zip give identical tables (values and dtypes)', async () => {
    const t = sample(300);
    await writeTable(join(tmp, 'a.csv'), t);
    const fromCsv = await readTable(join(tmp, 'a.csv'));
    assert.deepEqual(fromCsv.dtypes, t.dtypes);
    assert.deepEqual(fromCsv.toRows(), t.toRows());
    await writeTable(join(tmp, 'b.feather'), fromCsv);
    const fromFeather = await readTable(join(tmp, 'b.feather'));
    await writeTable(join(tmp, 'c.csv.gz'), fromFeather);
    const fromGz = await readTable(join(tmp, 'c.csv.gz'));
    await writeTable(join(tmp, 'd.csv.zip'), fromGz);
    const fromZip = await readTable(join(tmp, 'd.csv.zip'));
    for (const u of [fromFeather, fromGz, fromZip]) {
      assert.deepEqual(u.dtypes, t.dtypes);
      assert.deepEqual(u.toRows(), t.toRows());
    }
  });

  it('convertTable streams CSV.gz → Feather → CSV in chunks with the same content', async () => {
    const t = sample(1000);
    await writeTable(join(tmp, 'in.csv.gz'), t);
    const r = await convertTable(join(tmp, 'in.csv.gz'), join(tmp, 'out.feather'), { chunkRows: 128 });
    assert.equal(r.rows, 1000);
    assert.deepEqual(r.dtypes, t.dtypes);
    await convertTable(join(tmp, 'out.feather'), join(tmp, 'back.tsv'));
    const back = await readTable(join(tmp, 'back.tsv'));
    assert.deepEqual(back.toRows(), t.toRows());
  });

  it('refuses a compressed Feather name', async () => {
    await assert.rejects(
      writeTable(join(tmp, 'x.feather.gz'), sample(2)),
      /Feather files are not wrapped in \.gz/,
    );
  });

  it('a truncated input fails the conversion into every output format, leaving no output and no temporary file', async () => {
    for (const out of ['o.csv.gz', 'o.csv.zip', 'o.csv', 'o.feather']) {
      const dir = join(tmp, `cut-${out}`);
      mkdirSync(dir);
      await writeTable(join(dir, 'in.csv.gz'), sample(3000));
      const gz = readFileSync(join(dir, 'in.csv.gz'));
      writeFileSync(join(dir, 'in.csv.gz'), gz.subarray(0, gz.length >> 1));
      await assert.rejects(
        convertTable(join(dir, 'in.csv.gz'), join(dir, out), { chunkRows: 256, inferRows: 100 }),
        (e: Error) =>
          e instanceof DataFormatError && /in\.csv\.gz: truncated or corrupt gzip/.test(e.message),
        out,
      );
      assert.deepEqual(readdirSync(dir), ['in.csv.gz'], out);
    }
  });

  it('checks both paths before reading anything: a folder as output, a missing input', async () => {
    await writeTable(join(tmp, 'small.csv'), sample(3));
    await assert.rejects(convertTable(join(tmp, 'small.csv'), tmp), /is a folder; expected a file name/);
    await assert.rejects(convertTable(join(tmp, 'nope.csv'), join(tmp, 'x.csv')), /nope\.csv: no such file/);
    await assert.rejects(convertTable(join(tmp, 'small.csv'), join(tmp, 'no', 'x.csv')), /does not exist/);
  });
});
