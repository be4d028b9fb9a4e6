/** `pnpm data …` end to end: the real bin, exit codes, outputs and error messages. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { readFeather, readTable } from '@dlpipe/data';

const root = new URL('..', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'dlpipe-data-cli-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function data(...args: string[]) {
  const r = spawnSync(process.execPath, [join(root, 'apps/data/bin/dlpipe-data.mjs'), ...args], {
    cwd: root,
    encoding: 'utf8',
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('pnpm data', () => {
  it('convert in.csv.gz out.feather, then back to CSV, keeps the table', async () => {
    const csv = 'id,name,score,when\n1,"a, b",1.5,2024-01-01\n2,c,,2024-01-02\n';
    writeFileSync(join(tmp, 'in.csv.gz'), gzipSync(csv));
    const r = data('convert', join(tmp, 'in.csv.gz'), join(tmp, 'out.feather'), '-q');
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /2 rows × 4 columns/);
    assert.equal(r.err, '', 'no banners or noise on stderr');
    const t = await readFeather(join(tmp, 'out.feather'));
    assert.deepEqual(t.dtypes, { id: 'int', name: 'string', score: 'float', when: 'date' });
    assert.equal(data('convert', join(tmp, 'out.feather'), join(tmp, 'back.csv'), '-q').code, 0);
    assert.deepEqual((await readTable(join(tmp, 'back.csv'))).toRows(), t.toRows());
  });

  it('bad rows: an error with file and line (exit 2), or skipped and reported with --on-bad-row skip', () => {
    writeFileSync(join(tmp, 'bad.csv'), 'a,b\n1,2\n3,4,5\n6,7\n');
    const r = data('convert', join(tmp, 'bad.csv'), join(tmp, 'bad.feather'));
    assert.equal(r.code, 2);
    assert.match(r.err, /bad\.csv, line 3: has 3 fields but the header has 2/);
    const s = data('convert', join(tmp, 'bad.csv'), join(tmp, 'bad.feather'), '--on-bad-row', 'skip', '-q');
    assert.equal(s.code, 0, s.err);
    assert.match(s.err, /skipped .*bad\.csv, line 3/);
    assert.match(s.out, /2 rows × 2 columns.*1 bad rows skipped/);
    const h = data('head', join(tmp, 'bad.csv'), '--on-bad-row', 'skip', '--json');
    assert.equal(h.code, 0, h.err);
    assert.deepEqual(JSON.parse(h.out).head, [
      { a: 1, b: 2 },
      { a: 6, b: 7 },
    ]);
    assert.match(h.err, /skipped .*bad\.csv, line 3/);
    assert.equal(data('info', join(tmp, 'bad.csv')).code, 2);
  });

  it('head, info and split; unknown commands and options say what exists', () => {
    const h = data('head', join(root, 'data/label/iris.csv'), '-n', '2');
    assert.equal(h.code, 0);
    assert.match(h.out, /sepal_length .* species\n +5\.1 .* setosa/);
    assert.match(data('info', join(root, 'data/tables/cities.csv.bz2')).out, /temp +float +1 +2 +15\.25/);
    const sp = data(
      'split',
      join(root, 'data/label/iris.csv'),
      '--test',
      '0.2',
      '--stratify',
      'species',
      '--out-dir',
      tmp,
    );
    assert.match(sp.out, /iris\.train\.csv: 120 rows\n.*iris\.test\.csv: 30 rows/);
    const u = data('frobnicate');
    assert.equal(u.code, 2);
    assert.match(u.err, /unknown command 'frobnicate'[\s\S]*convert/);
    const missing = data('convert', 'a');
    assert.equal(missing.code, 2);
    assert.equal(missing.err, 'dlpipe-data convert: missing argument <out> (pnpm data convert --help)\n');
    const badFlag = data('head', 'x.csv', '--dtype', 'x');
    assert.equal(badFlag.code, 2);
    assert.match(badFlag.err, /--dtype: 'x': expected COL=TYPE with TYPE one of float, int/);
    assert.match(
      data('head', '--help').out,
      /^usage: pnpm data head <file> \[options\][\s\S]*--on-bad-row error\|skip/,
    );
  });
});
