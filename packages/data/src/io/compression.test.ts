import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { DataFormatError } from '../errors.js';
import { detectCompression } from './compression.js';
import { readCsv } from './csv-read.js';
import { writeCsv } from './csv-write.js';

const fixtures = new URL('../../../../data/tables/', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'dlpipe-comp-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const expected = [
  { id: 1, city: 'Paris', temp: 12.5 },
  { id: 2, city: 'Rome, IT', temp: 18 },
  { id: 3, city: 'Berlin', temp: null },
];

describe('compressed CSV', () => {
  it('detects gzip, zip, bzip2, zstd and xz by magic bytes', () => {
    assert.equal(detectCompression(Buffer.from([0x1f, 0x8b, 8])), 'gzip');
    assert.equal(detectCompression(Buffer.from('PK\x03\x04', 'latin1')), 'zip');
    assert.equal(detectCompression(Buffer.from('BZh9')), 'bz2');
    assert.equal(detectCompression(Buffer.from([0x28, 0xb5, 0x2f, 0xfd])), 'zstd');
    assert.equal(detectCompression(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0])), 'xz');
    assert.equal(detectCompression(Buffer.from('id,city')), 'none');
  });

  it('reads the same table from .csv, .bz2, .zst (made by the CLI tools) and a zip with a folder', async () => {
    for (const name of ['cities.csv', 'cities.csv.bz2', 'cities.csv.zst', 'cities.csv.zip']) {
      const t = await readCsv(join(fixtures, name));
      assert.deepEqual(t.toRows(), expected, name);
    }
  });

  it('goes by content, not by name: gzip data called .csv is read', async () => {
    const p = join(tmp, 'really-gzip.csv');
    writeFileSync(p, gzipSync(readFileSync(join(fixtures, 'cities.csv'))));
    assert.deepEqual((await readCsv(p)).toRows(), expected);
  });

  it('a truncated gzip is a DataFormatError naming the file', async () => {
    const p = join(tmp, 'cut.csv.gz');
    const gz = gzipSync(Buffer.from(`a,b\n${'1,2\n'.repeat(5000)}`));
    writeFileSync(p, gz.subarray(0, gz.length - 20));
    await assert.rejects(readCsv(p), (e: Error) => {
      assert.ok(e instanceof DataFormatError, String(e));
      assert.match(e.message, /cut\.csv\.gz: truncated or corrupt gzip data: unexpected end of file/);
      return true;
    });
  });

  it('every compression cut short (gzip, zip, bzip2, zstd) is a DataFormatError naming the file', async () => {
    const gz = gzipSync(readFileSync(join(fixtures, 'cities.csv')));
    const sources: [string, Buffer][] = [
      ['cut.csv.gz', gz],
      ['cut.csv.zip', readFileSync(join(fixtures, 'cities.csv.zip'))],
      ['cut.csv.bz2', readFileSync(join(fixtures, 'cities.csv.bz2'))],
      ['cut.csv.zst', readFileSync(join(fixtures, 'cities.csv.zst'))],
    ];
    for (const [name, whole] of sources) {
      const p = join(tmp, name);
      writeFileSync(p, whole.subarray(0, Math.floor(whole.length * 0.6)));
      await assert.rejects(readCsv(p), (e: Error) => {
        assert.ok(e instanceof DataFormatError, `${name}: ${e}`);
        assert.match(e.message, new RegExp(`${name.replaceAll('.', '\\.')}: .*(truncated|corrupt)`), name);
        assert.doesNotMatch(e.message, /Cannot read properties/, 'no internal error text');
        return true;
      });
    }
  });

  it('a zip with several members lists them and says how to choose', async () => {
    await assert.rejects(
      readCsv(join(fixtures, 'two-members.zip')),
      /two-members\.zip: the zip archive holds 2 files \[cities\.csv, notes\.txt\]; a table needs exactly one: name the member/,
    );
    const t = await readCsv(join(fixtures, 'two-members.zip'), { member: 'cities.csv' });
    assert.deepEqual(t.toRows(), expected);
  });

  it('xz input and bz2/zstd output are refused with what to do instead', async () => {
    await assert.rejects(
      readCsv(join(fixtures, 'cities.csv.xz')),
      /is xz-compressed, which dlpipe cannot read/,
    );
    const t = await readCsv(join(fixtures, 'cities.csv'));
    await assert.rejects(
      writeCsv(join(tmp, 'out.csv.zst'), t),
      /writing zstd is not supported .* write \.csv\.gz or \.csv\.zip/,
    );
    await assert.rejects(writeCsv(join(tmp, 'out.csv.bz2'), t), /writing bz2 is not supported/);
  });

  it('writes .gz and .zip that gzip/unzip-compatible readers (ours, via magic bytes) read back', async () => {
    const t = await readCsv(join(fixtures, 'cities.csv'));
    for (const name of ['out.csv.gz', 'out.csv.zip']) {
      const p = join(tmp, name);
      await writeCsv(p, t);
      assert.notEqual(detectCompression(readFileSync(p)), 'none');
      assert.deepEqual((await readCsv(p)).toRows(), expected, name);
    }
  });
});
