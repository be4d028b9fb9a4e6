/**
 * `pnpm label …` end to end: self-train with a holdout and a store, review, import, stats; paths
 * checked before any work (nothing half done), read-only reads, and kill -9 then rerun.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { readCsv, writeCsv } from '@dlpipe/data';
import { openLabelStore } from '@dlpipe/label';

const root = new URL('..', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'dlpipe-label-cli-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const bin = join(root, 'apps/label/bin/dlpipe-label.mjs');

/** Runs the CLI; a run that hangs is killed (SIGKILL: a busy loop never sees SIGTERM) after 60 s. */
function label(...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 60_000,
    killSignal: 'SIGKILL',
  });
  return { code: r.status, out: r.stdout, err: r.stderr, signal: r.signal };
}

/** A store's records (time left out: it is when they were written), oldest first per item. */
function storeRows(path: string): unknown[] {
  const s = openLabelStore(path, { readonly: true });
  try {
    return s.current().flatMap((r) => s.history(r.itemId).map(({ time: _time, ...rest }) => rest));
  } finally {
    s.close();
  }
}

/** The visible files of a folder and their bytes (hidden temporaries of a killed run left out). */
function filesOf(dir: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir)
      .filter((f) => !f.startsWith('.') && !f.includes('.sqlite'))
      .sort()
      .map((f) => [f, readFileSync(join(dir, f)).toString('base64')]),
  );
}

describe('pnpm label', async () => {
  const iris = await readCsv(join(root, 'data/label/iris.csv'));
  const rows = Array.from({ length: 150 }, (_, i) => i);
  const train = iris.take(rows.filter((i) => i % 3 !== 0));
  const ids = { name: 'id', dtype: 'string' as const, data: Array.from({ length: 100 }, (_, i) => `r${i}`) };
  await writeCsv(
    join(tmp, 'train.csv'),
    train.withColumns([
      ids,
      { name: 'species', dtype: 'string', data: train.strings('species').map((s, i) => (i % 5 ? null : s)) },
    ]),
  );
  await writeCsv(join(tmp, 'hold.csv'), iris.take(rows.filter((i) => i % 3 === 0)));
  const store = join(tmp, 'labels.sqlite');

  it('self-train writes labels, per-round holdout accuracy (JSON + PNG) and pseudo-labels into the store', async () => {
    const r = label(
      'self-train',
      '--data',
      join(tmp, 'train.csv'),
      '--label-col',
      'species',
      '--holdout',
      join(tmp, 'hold.csv'),
      '--out',
      join(tmp, 'labeled.csv'),
      '--store',
      store,
      '--C',
      '10',
      '--threshold',
      '0.9',
      '-q',
    );
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /20 given \+ \d+ pseudo-labels/);
    assert.match(r.out, /round 0: 20 labeled, holdout accuracy 0\.\d{4}/);
    const out = await readCsv(join(tmp, 'labeled.csv'));
    assert.deepEqual(out.columnNames.slice(-3), ['label_source', 'label_confidence', 'label_iteration']);
    assert.ok(existsSync(join(tmp, 'labeled-accuracy.png')));
    assert.equal(readFileSync(join(tmp, 'labeled-accuracy.png')).subarray(1, 4).toString(), 'PNG');
    assert.ok(JSON.parse(readFileSync(join(tmp, 'labeled.rounds.json'), 'utf8')).length >= 2);
  });

  it('review → import → stats: corrected labels override pseudo-labels', () => {
    const q = label('review', '--store', store, '--limit', '2', '--out', join(tmp, 'review.csv'));
    assert.equal(q.code, 0, q.err);
    const sheet = readFileSync(join(tmp, 'review.csv'), 'utf8').trim().split('\n');
    assert.equal(sheet.length, 3);
    const first = sheet[1]!.split(',')[0]!;
    writeFileSync(join(tmp, 'fixed.csv'), `id,label\n${first},virginica\n`);
    const imp = label('import', '--store', store, '--labels', join(tmp, 'fixed.csv'));
    assert.match(imp.out, /imported 1 labels \(1 replaced pseudo-labels, 0 rows without a label\)/);
    const s = JSON.parse(label('stats', '--store', store, '--json').out);
    assert.equal(s.bySource.imported, 1);
    assert.match(label('stats', '--store', store).out, /by source: human 0, pseudo \d+, imported 1/);
    assert.doesNotMatch(
      label('review', '--store', store, '--limit', '50').out,
      new RegExp(`^${first}\\t`, 'm'),
    );
    const listed = JSON.parse(label('review', '--store', store, '--limit', '3', '--json').out);
    assert.equal(listed.items.length, 3);
    const conf = listed.items.map((r: { confidence: number }) => r.confidence);
    assert.deepEqual(
      conf,
      [...conf].sort((a, b) => a - b),
      'least confident first',
    );
  });

  it('a missing label column and text features are clear errors (exit 2)', async () => {
    const r = label(
      'self-train',
      '--data',
      join(tmp, 'train.csv'),
      '--label-col',
      'kind',
      '--out',
      join(tmp, 'x.csv'),
    );
    assert.equal(r.code, 2);
    assert.match(
      r.err,
      /train\.csv: no label column 'kind'; the file has \[sepal_length, .*\]: pass --label-col/,
    );
    writeFileSync(join(tmp, 'text.csv'), 'a,b,y\n1,2,x\n3,oops,\n5,6,z\n');
    const t = label(
      'self-train',
      '--data',
      join(tmp, 'text.csv'),
      '--label-col',
      'y',
      '--out',
      join(tmp, 'x.csv'),
    );
    assert.equal(t.code, 2);
    assert.match(
      t.err,
      /column 'b': is string, but numbers are needed here \(.*text\.csv, line 3 holds 'oops'\)/,
    );
    assert.match(
      label(
        'self-train',
        '--data',
        'x',
        '--label-col',
        'y',
        '--out',
        'z',
        '--threshold',
        '0.9',
        '--k-best',
        '5',
      ).err,
      /--threshold and --k-best exclude each other/,
    );
    const badC = label('self-train', '--data', 'x', '--label-col', 'y', '--out', 'z', '--C', 'big');
    assert.equal(badC.code, 2);
    assert.match(
      badC.err,
      /^dlpipe-label self-train: --C 'big': expected a number \(pnpm label self-train --help\)$/m,
    );
    assert.match(
      label('self-train', '--help').out,
      /^ {6}--C N +logistic regression's inverse regularization/m,
    );
  });

  it('a store path that cannot be created is one line naming it, exit 2, not an endless mkdir', () => {
    for (const cmd of [['stats'], ['import', '--labels', join(tmp, 'hold.csv')]]) {
      const t0 = Date.now();
      const r = label(...cmd, '--store', '/proc/x/labels.sqlite');
      assert.equal(r.signal, null, `${cmd[0]} hung (killed after ${Date.now() - t0} ms)`);
      assert.equal(r.code, 2, r.err);
      assert.match(
        r.err,
        /^dlpipe-label \w+: \/proc\/x\/labels\.sqlite: (no such file|its folder \/proc\/x does not exist; create it first) \(the label store\) \(pnpm label \w+ --help\)\n$/,
      );
    }
  });

  it('reading commands on a mistyped store exit 2 naming it and create nothing', () => {
    const typo = join(tmp, 'lables.sqlite');
    for (const cmd of [
      ['stats'],
      ['export', '--out', join(tmp, 'e.csv')],
      ['review'],
      ['review', '--out', join(tmp, 'r.csv')],
    ]) {
      const r = label(...cmd, '--store', typo);
      assert.equal(r.code, 2, `${cmd.join(' ')}: ${r.err}`);
      assert.match(r.err, /lables\.sqlite: no such file \(the label store\)/);
    }
    assert.deepEqual(
      readdirSync(tmp).filter((f) => /lables|^e\.csv|^r\.csv/.test(f)),
      [],
    );
  });

  it('self-train checks every path before training: a bad --out leaves the store and the folder as they were', () => {
    const dir = join(tmp, 'half');
    mkdirSync(dir);
    const run = (...extra: string[]) =>
      label(
        'self-train',
        '--data',
        join(tmp, 'train.csv'),
        '--label-col',
        'species',
        '--holdout',
        join(tmp, 'hold.csv'),
        '--store',
        join(dir, 's.sqlite'),
        '-q',
        ...extra,
      );
    const r = run('--out', join(dir, 'missing-dir', 'out.csv'));
    assert.equal(r.code, 2, r.err);
    assert.match(r.err, /missing-dir\/out\.csv: its folder .*missing-dir does not exist; create it first/);
    assert.deepEqual(readdirSync(dir), [], 'no store, no output, no temporary file');
    const before = storeRows(store);
    for (const [holdout, plot, re] of [
      [join(tmp, 'hold.csv'), join(dir, 'nope', 'acc.png'), /nope\/acc\.png: its folder .* does not exist/],
      [join(dir, 'nope.csv'), join(dir, 'acc.png'), /nope\.csv: no such file \(the holdout table\)/],
    ] as const) {
      const x = label(
        'self-train',
        '--data',
        join(tmp, 'train.csv'),
        '--label-col',
        'species',
        '--holdout',
        holdout,
        '--plot',
        plot,
        '--store',
        store,
        '--out',
        join(dir, 'o.csv'),
      );
      assert.equal(x.code, 2, x.err);
      assert.match(x.err, re);
    }
    assert.deepEqual(storeRows(store), before, 'the existing store is unchanged');
    assert.deepEqual(readdirSync(dir), []);
    const rv = label('review', '--store', store, '--out', join(dir, 'nope', 'r.csv'));
    assert.equal(rv.code, 2, rv.err);
    assert.match(rv.err, /nope\/r\.csv: its folder .* does not exist/);
  });

  it('kill -9 at a random point of self-train, then a rerun: the same files and store rows as an uninterrupted run', {
    timeout: 120_000,
  }, async (t) => {
    const args = (dir: string) => [
      bin,
      'self-train',
      '--data',
      join(tmp, 'train.csv'),
      '--label-col',
      'species',
      '--holdout',
      join(tmp, 'hold.csv'),
      '--out',
      join(dir, 'labeled.csv'),
      '--store',
      join(dir, 'labels.sqlite'),
      '--C',
      '10',
      '--threshold',
      '0.9',
      '-q',
    ];
    const start = (dir: string, killAfterMs?: number) => {
      const child = spawn(process.execPath, args(dir), { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
      let err = '';
      child.stderr.on('data', (d) => (err += d));
      const timer =
        killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      return new Promise<{ code: number | null; signal: string | null; err: string }>((resolve) =>
        child.on('close', (code, signal) => {
          clearTimeout(timer);
          resolve({ code, signal, err });
        }),
      );
    };
    const ref = join(tmp, 'kill-ref');
    mkdirSync(ref);
    const t0 = Date.now();
    const whole = await start(ref);
    const ms = Date.now() - t0;
    assert.equal(whole.code, 0, whole.err);
    const expected = { files: filesOf(ref), rows: storeRows(join(ref, 'labels.sqlite')) };
    assert.equal(Object.keys(expected.files).length, 4);
    // one delay anywhere in the run, one in its second half (training and writing)
    for (const [i, delay] of [Math.random() * ms, (0.5 + Math.random() / 2) * ms].entries()) {
      const dir = join(tmp, `kill-${i}`);
      mkdirSync(dir);
      const killed = await start(dir, Math.round(delay));
      t.diagnostic(
        `kill ${i}: after ${Math.round(delay)} of ${ms} ms: ${killed.signal ?? `exit ${killed.code}`}`,
      );
      const again = await start(dir);
      assert.equal(again.code, 0, again.err);
      assert.deepEqual(filesOf(dir), expected.files, `kill after ${Math.round(delay)} ms`);
      assert.deepEqual(
        storeRows(join(dir, 'labels.sqlite')),
        expected.rows,
        `kill after ${Math.round(delay)} ms`,
      );
    }
  });
});
