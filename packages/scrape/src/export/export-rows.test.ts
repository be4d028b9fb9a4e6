/** Exports: JSONL and CSV checked against hand-written text (RFC 4180 quoting), Feather read back with @dlpipe/data. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { csvField, exportRows } from './export-rows.js';

const tmp = mkdtempSync(join(tmpdir(), 'dlpipe-export-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const ROWS: Record<string, unknown>[] = [
  { url: 'http://a.io/1', name: 'Plain', price: 3, tags: ['x', 'y'], ok: true },
  { url: 'http://a.io/2', name: 'Comma, "quoted"\nnewline', price: 2.5, ok: false, extra: { k: 1 } },
  { url: 'http://a.io/3', name: null, price: null },
];
const source = () =>
  (async function* () {
    yield* ROWS;
  })();

describe('exportRows', () => {
  it('JSONL: one object per line, as stored', async () => {
    const path = join(tmp, 'a.jsonl');
    assert.equal(await exportRows(source, path, 'jsonl'), 3);
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    assert.deepEqual(
      lines.map((l) => JSON.parse(l)),
      ROWS,
    );
  });

  it('CSV: columns in order of first appearance, RFC 4180 quoting, nested values as JSON', async () => {
    const path = join(tmp, 'a.csv');
    assert.equal(await exportRows(source, path, 'csv'), 3);
    const expected = [
      'url,name,price,tags,ok,extra',
      'http://a.io/1,Plain,3,"[""x"",""y""]",true,',
      'http://a.io/2,"Comma, ""quoted""\nnewline",2.5,,false,"{""k"":1}"',
      'http://a.io/3,,,,,',
      '',
    ].join('\r\n');
    assert.equal(readFileSync(path, 'utf8'), expected);
    assert.equal(csvField(' lead'), '" lead"');
  });

  it('Feather: typed columns (int, float, bool, string), nulls kept, read back with @dlpipe/data', async () => {
    const path = join(tmp, 'a.feather');
    assert.equal(await exportRows(source, path, 'feather'), 3);
    const { readFeather } = await import('@dlpipe/data');
    const t = await readFeather(path);
    assert.deepEqual(t.columnNames, ['url', 'name', 'price', 'tags', 'ok', 'extra']);
    assert.deepEqual(t.dtypes, {
      url: 'string',
      name: 'string',
      price: 'float',
      tags: 'string',
      ok: 'bool',
      extra: 'string',
    });
    const rows = t.toRows();
    assert.deepEqual(
      rows.map((r) => r.price),
      [3, 2.5, null],
    );
    assert.deepEqual(
      rows.map((r) => r.tags),
      ['["x","y"]', null, null],
    );
    assert.deepEqual(
      rows.map((r) => r.ok),
      [true, false, null],
    );
    assert.equal(rows[1]!.name, ROWS[1]!.name);
  });

  it('writes atomically: a failing source leaves no file and no temp file', async () => {
    const path = join(tmp, 'fail.csv');
    const broken = () =>
      (async function* () {
        yield { a: 1 };
        throw new Error('source broke');
      })();
    await assert.rejects(exportRows(broken, path, 'jsonl'), /source broke/);
    assert.equal(existsSync(path), false);
    assert.deepEqual(
      readdirSync(tmp).filter((f) => f.includes('fail')),
      [],
    );
  });

  it('a process that exits mid-export (a second Ctrl-C) leaves no temporary file', () => {
    const dir = mkdtempSync(join(tmp, 'exit-'));
    const script = `
      const { exportRows } = await import(${JSON.stringify(new URL('./export-rows.ts', import.meta.url).pathname)});
      const rows = async function* () { yield { a: 1 }; setTimeout(() => process.exit(130), 50); await new Promise(() => {}); };
      await exportRows(rows, ${JSON.stringify(join(dir, 'out.jsonl'))}, 'jsonl');`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    assert.equal(r.status, 130, r.stderr);
    assert.deepEqual(readdirSync(dir), []);
  });
});
