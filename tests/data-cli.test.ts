/** `pnpm data …` end to end: the real bin, exit codes, outputs and error messages. */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { readFeather, readTable } from '@dlpipe/data';

const root = new URL('..', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'dlpipe-data-cli-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const bin = join(root, 'apps/data/bin/dlpipe-data.mjs');

function data(...args: string[]) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr, ms: performance.now() - t0 };
}

/** A folder of its own under tmp, holding the given files. */
function folder(name: string, files: Record<string, string | Buffer> = {}): string {
  const dir = join(tmp, name);
  mkdirSync(dir);
  for (const [f, content] of Object.entries(files)) writeFileSync(join(dir, f), content);
  return dir;
}

/** One line on stderr: `dlpipe-data <cmd>: <message> (pnpm data <cmd> --help)`. */
function oneLine(err: string, cmd: string): string {
  const lines = err.split('\n').filter(Boolean);
  assert.equal(lines.length, 1, `one line expected, got:\n${err}`);
  assert.match(lines[0]!, new RegExp(`^dlpipe-data ${cmd}: .* \\(pnpm data ${cmd} --help\\)$`));
  return lines[0]!;
}

/** A ~20 MB CSV of 520,000 rows (ints, floats, strings, dates). */
function bigCsv(): string {
  const parts = ['id,x,y,name,when\n'];
  for (let i = 0; i < 520_000; i++) {
    parts.push(
      `${i},${((i * 7919) % 100_000) / 100},${i % 97},name_${i % 1000},2024-01-${String((i % 28) + 1).padStart(2, '0')}\n`,
    );
  }
  return parts.join('');
}

/** Runs `data convert` in the background; resolves the exit once `kill(child)` was done at the moment it picks. */
async function interrupted(
  args: string[],
  dir: string,
  kill: (child: ReturnType<typeof spawn>) => void,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; tempsSeen: string[] }> {
  const child = spawn(process.execPath, [bin, ...args], { cwd: root, stdio: 'ignore' });
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  let tempsSeen: string[] = [];
  let done = false;
  void exited.then(() => {
    done = true;
  });
  // wait for the output's temporary file to appear (the work is under way), then kill
  while (!done && tempsSeen.length === 0) {
    await new Promise((r) => setTimeout(r, 20));
    tempsSeen = readdirSync(dir).filter((f) => f.includes('.tmp-'));
  }
  if (!done) kill(child);
  const [code, signal] = await exited;
  return { code, signal, tempsSeen };
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

describe('pnpm data on bad input', () => {
  it('a truncated .csv.gz converted to .csv.gz exits 2 with one line naming it; no output, no temporary file', () => {
    const rows = Array.from({ length: 20000 }, (_, i) => `${i},${i}\n`).join('');
    const gz = gzipSync(`a,b\n${rows}`);
    const dir = folder('truncated', { 't.csv.gz': gz.subarray(0, gz.length >> 1) });
    for (const out of ['o.csv.gz', 'o.feather']) {
      const r = data('convert', join(dir, 't.csv.gz'), join(dir, out), '-q');
      assert.equal(r.code, 2, r.err);
      assert.match(oneLine(r.err, 'convert'), /t\.csv\.gz: truncated or corrupt gzip data/);
      assert.deepEqual(readdirSync(dir), ['t.csv.gz'], `${out}: nothing written`);
    }
  });

  it('invalid UTF-8 exits 2 naming file, line and byte; --invalid-utf8 replace and --encoding latin1 read it', async () => {
    const dir = folder('utf8', { 'b.csv': Buffer.from('a,b\n1,\xff\xfe\n', 'latin1') });
    const b = join(dir, 'b.csv');
    const r = data('convert', b, join(dir, 'b.feather'));
    assert.equal(r.code, 2, r.err);
    assert.match(oneLine(r.err, 'convert'), /b\.csv, line 2: invalid UTF-8 at byte 6 \(0xff 0xfe/);
    assert.deepEqual(readdirSync(dir), ['b.csv']);
    assert.equal(data('convert', b, join(dir, 'r.feather'), '--invalid-utf8', 'replace', '-q').code, 0);
    assert.deepEqual((await readFeather(join(dir, 'r.feather'))).toRows(), [{ a: 1, b: '\ufffd\ufffd' }]);
    const l = data('head', b, '--encoding', 'latin1', '--json');
    assert.equal(l.code, 0, l.err);
    assert.deepEqual(JSON.parse(l.out).head, [{ a: 1, b: 'ÿþ' }]);
  });

  it('paths are checked before any work: one line naming the path, exit 2', () => {
    const dir = folder('paths', { 'x.csv': 'a\n1\n' });
    const x = join(dir, 'x.csv');
    const cases: [string[], string, RegExp][] = [
      [['convert', x, `${dir}/`], 'convert', /paths\/: is a folder; expected a file name/],
      [['convert', x, join(dir, 'no', 'o.csv')], 'convert', /o\.csv: its folder .*no does not exist/],
      [['convert', join(dir, 'nope.csv'), join(dir, 'o.csv')], 'convert', /nope\.csv: no such file/],
      [['head', join(dir, 'nope.feather')], 'head', /nope\.feather: no such file/],
      [['split', x, '--out-dir', join(x, 'sub')], 'split', /x\.csv is a file, not a folder/],
    ];
    for (const [args, cmd, re] of cases) {
      const r = data(...args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
      assert.match(oneLine(r.err, cmd), re);
      assert.doesNotMatch(r.err, /EISDIR|ENOENT|rename/);
    }
    assert.deepEqual(readdirSync(dir), ['x.csv']);
  });

  it('a million-column header and NaN/Infinity/negative numeric flags: one clear exit-2 line each, fast', () => {
    const header = Array.from({ length: 1_000_000 }, (_, i) => `c${i}`).join(',');
    const dir = folder('wide', { 'wide.csv': `${header}\n${header}\n` });
    const w = data('convert', join(dir, 'wide.csv'), join(dir, 'w.feather'));
    assert.equal(w.code, 2, w.err);
    assert.match(
      oneLine(w.err, 'convert'),
      /line 1: the first row has at least 100001 fields.*--max-columns N/,
    );
    assert.ok(w.ms < 8000, `answered in ${w.ms} ms`);
    const iris = join(root, 'data/label/iris.csv');
    const o = join(dir, 'o.csv');
    // every numeric flag of every command: apps/data/src/commands/numeric-flags.test.ts (in-process)
    const cases: [string[], RegExp][] = [
      [['head', iris, '-n', 'NaN'], /--n 'NaN': expected a number/],
      [['convert', iris, o, '--chunk-rows', '1e12'], /--chunk-rows '1e12': Too big/],
      [['split', iris, '--out-dir', dir, '--test', 'Infinity'], /--test 'Infinity'/],
    ];
    for (const [args, re] of cases) {
      const r = data(...args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
      assert.match(oneLine(r.err, args[0]!), re);
    }
    assert.deepEqual(readdirSync(dir), ['wide.csv']);
  });

  it('SIGTERM during convert exits 143 and leaves no temporary file', async () => {
    const dir = folder('sigterm', { 'in.csv': bigCsv() });
    const r = await interrupted(['convert', join(dir, 'in.csv'), join(dir, 'out.csv.gz'), '-q'], dir, (c) =>
      c.kill('SIGTERM'),
    );
    if (r.tempsSeen.length > 0) assert.equal(r.code, 143);
    assert.deepEqual(
      readdirSync(dir).filter((f) => f !== 'out.csv.gz'),
      ['in.csv'],
    );
  });

  it('kill -9 at a random point of convert, then a rerun: the same bytes as an uninterrupted run, no temporary file', async () => {
    const csv = bigCsv();
    const whole = folder('whole', { 'in.csv': csv });
    const args = (dir: string) => [
      'convert',
      join(dir, 'in.csv'),
      join(dir, 'out.feather'),
      '-q',
      '--infer-rows',
      '1000',
    ];
    const dir = folder('killed', { 'in.csv': csv });
    const baseline = spawn(process.execPath, [bin, ...args(whole)], { cwd: root, stdio: 'ignore' });
    const baselineExit = once(baseline, 'exit');
    const r = await interrupted(args(dir), dir, (c) => {
      setTimeout(() => c.kill('SIGKILL'), Math.random() * 1000);
    });
    assert.deepEqual(await baselineExit, [0, null], 'the uninterrupted run');
    const visible = readdirSync(dir).filter((f) => !f.startsWith('.'));
    assert.ok(
      visible.every((f) => f === 'in.csv' || f === 'out.feather'),
      `visible: ${visible}`,
    );
    if (r.signal === 'SIGKILL') assert.deepEqual(visible, ['in.csv'], 'killed mid-write: no output yet');
    const again = data(...args(dir));
    assert.equal(again.code, 0, again.err);
    assert.deepEqual(
      readdirSync(dir).sort(),
      ['in.csv', 'out.feather'],
      'the stale temporary file was removed',
    );
    assert.ok(readFileSync(join(dir, 'out.feather')).equals(readFileSync(join(whole, 'out.feather'))));
    assert.equal((await readFeather(join(dir, 'out.feather'))).nRows, 520_000);
  });
});
