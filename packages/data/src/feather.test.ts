import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import * as arrow from 'apache-arrow';
import { DataFormatError } from './errors.js';
import { FeatherWriter, featherError, readFeather, readFeatherBatches, writeFeather } from './feather.js';
import { Table } from './table/table.js';

const tmp = mkdtempSync(join(tmpdir(), 'dlpipe-feather-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

describe('Feather v2', () => {
  it('round-trips every dtype with missing values', async () => {
    const p = join(tmp, 'all.feather');
    const t = Table.fromColumns({
      f: [1.5, null, -3.25],
      i: [1, 2 ** 40, null],
      b: [true, null, false],
      s: ['a', null, 'ünï'],
      d: [new Date('2024-01-02T03:04:05.006Z'), null, new Date(0)],
    });
    await writeFeather(p, t);
    const back = await readFeather(p);
    assert.deepEqual(back.dtypes, { f: 'float', i: 'int', b: 'bool', s: 'string', d: 'date' });
    assert.deepEqual(back.toRows(), t.toRows());
    assert.deepEqual(
      readdirSync(tmp).filter((f) => f.includes('.tmp-')),
      [],
      'no temporary file left',
    );
  });

  it('writes Arrow IPC that apache-arrow reads with the expected Arrow types', async () => {
    const p = join(tmp, 'types.feather');
    await writeFeather(p, { columns: { x: [1, 2], name: ['a', 'b'], at: [new Date(0), new Date(1000)] } });
    const { readFileSync } = await import('node:fs');
    const raw = arrow.tableFromIPC(readFileSync(p));
    assert.deepEqual(
      raw.schema.fields.map((f) => `${f.name}:${f.type}`),
      ['x:Int64', 'name:Utf8', 'at:Timestamp<MILLISECOND>'],
    );
    assert.equal(raw.getChild('name')!.get(1), 'b');
  });

  it('accepts row objects (the scraper shape) with keys appearing late', async () => {
    const p = join(tmp, 'rows.feather');
    await writeFeather(p, [
      { url: 'https://a', status: 200 },
      { url: 'https://b', title: 'B' },
    ]);
    assert.deepEqual((await readFeather(p)).toRows(), [
      { url: 'https://a', status: 200, title: null },
      { url: 'https://b', status: null, title: 'B' },
    ]);
  });

  it('streams chunks in and record batches out; a chunk with other dtypes is refused', async () => {
    const p = join(tmp, 'chunks.feather');
    const w = new FeatherWriter(p);
    await w.write(Table.fromColumns({ a: [1, 2] }));
    await w.write(Table.fromColumns({ a: [3] }));
    await assert.rejects(
      w.write(Table.fromColumns({ a: ['x'] })),
      /chunk schema \{a: Utf8\} differs from the first chunk's \{a: Int64\}/,
    );
    await w.close();
    const sizes: number[] = [];
    for await (const b of readFeatherBatches(p)) sizes.push(b.nRows);
    assert.deepEqual(sizes, [2, 1]);
    assert.deepEqual(Array.from((await readFeather(p)).numeric('a')), [1, 2, 3]);
  });

  it('garbage, Feather v1 and compressed files are errors that name the file and the fix', async () => {
    const junk = join(tmp, 'junk.feather');
    writeFileSync(junk, 'not arrow at all');
    await assert.rejects(
      readFeather(junk),
      (e: Error) =>
        e instanceof DataFormatError && /junk\.feather: not a readable Feather v2/.test(e.message),
    );
    const v1 = join(tmp, 'v1.feather');
    writeFileSync(v1, Buffer.from('FEA1\0\0\0\0'));
    await assert.rejects(readFeather(v1), /v1\.feather: this is Feather v1/);
    assert.match(
      featherError('x.feather', new Error('Record batch compression not implemented')).message,
      /compression='uncompressed'/,
    );
    await assert.rejects(readFeather(join(tmp, 'missing.feather')), /missing\.feather: cannot read/);
  });
});
