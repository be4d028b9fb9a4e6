/** `pnpm label …` end to end: self-train with a holdout and a store, review, import, stats. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { readCsv, writeCsv } from '@dlpipe/data';

const root = new URL('..', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'dlpipe-label-cli-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function label(...args: string[]) {
  const r = spawnSync(process.execPath, [join(root, 'apps/label/bin/dlpipe-label.mjs'), ...args], {
    cwd: root,
    encoding: 'utf8',
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
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
});
