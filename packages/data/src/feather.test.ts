import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

  it('a truncated file (whole and batch by batch) or an empty one is an error saying so, not an internal one', async () => {
    const p = join(tmp, 'whole.feather');
    await writeFeather(p, { columns: { a: Array.from({ length: 5000 }, (_, i) => i) } }, { batchRows: 500 });
    const bytes = readFileSync(p);
    for (const keep of [0.5, 0.9, (bytes.length - 3) / bytes.length]) {
      const cut = join(tmp, 'cut.feather');
      writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length * keep)));
      const re = /cut\.feather: is truncated or corrupt: a Feather v2 file ends with its footer/;
      await assert.rejects(readFeather(cut), re);
      await assert.rejects(
        (async () => {
          for await (const _ of readFeatherBatches(cut)) void _;
        })(),
        re,
      );
    }
    writeFileSync(join(tmp, 'empty.feather'), '');
    await assert.rejects(readFeather(join(tmp, 'empty.feather')), /empty\.feather: is empty \(0 bytes\)/);
  });

  it('a failed or aborted writer leaves neither the file nor a temporary one', async () => {
    const dir = join(tmp, 'aborted');
    mkdirSync(dir);
    const w = new FeatherWriter(join(dir, 'x.feather'));
    await w.write(Table.fromColumns({ a: [1, 2] }));
    // the stream opens its file asynchronously: wait for it to show
    for (let i = 0; i < 100 && readdirSync(dir).length === 0; i++)
      await new Promise((r) => setTimeout(r, 10));
    assert.equal(readdirSync(dir).length, 1, 'the hidden temporary file while writing');
    assert.match(readdirSync(dir)[0]!, /^\.x\.tmp-\d+-[0-9a-f]+\.feather$/);
    await w.abort();
    assert.deepEqual(readdirSync(dir), []);
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
    await assert.rejects(readFeather(join(tmp, 'missing.feather')), /missing\.feather: no such file/);
  });
});
