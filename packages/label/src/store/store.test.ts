import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { readCsv } from '@dlpipe/data';
import { checkOutputs, commitOutputs } from './commit-outputs.js';
import { exportLabels, importLabelsCsv } from './csv-labels.js';
import type { LabelStore } from './label-store.js';
import { MemoryLabelStore } from './memory-store.js';
import { openLabelStore, SqliteLabelStore } from './sqlite-store.js';

const tmp = mkdtempSync(join(tmpdir(), 'dlpipe-store-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const stores: Array<[string, () => LabelStore]> = [
  ['memory', () => new MemoryLabelStore()],
  ['sqlite', () => new SqliteLabelStore(join(tmp, `s-${Math.random()}.sqlite`))],
];

for (const [kind, make] of stores) {
  describe(`${kind} label store`, () => {
    it('keeps every record with source, confidence, iteration and time; humans override pseudo-labels', () => {
      const s = make();
      s.add([
        { itemId: 'a', label: 'cat', source: 'pseudo', confidence: 0.6, iteration: 1 },
        { itemId: 'b', label: 'dog', source: 'pseudo', confidence: 0.95, iteration: 2 },
        { itemId: 'c', label: 'cat', source: 'human' },
      ]);
      const r = s.add([
        { itemId: 'a', label: 'dog', source: 'imported' },
        { itemId: 'c', label: 'dog', source: 'pseudo', confidence: 0.99, iteration: 3 },
        { itemId: 'b', label: 'cat', source: 'pseudo', confidence: 0.7, iteration: 3 },
      ]);
      assert.deepEqual(r, { added: 2, skipped: 1, overridden: 1 });
      assert.equal(s.get('a')!.label, 'dog');
      assert.equal(s.get('a')!.source, 'imported');
      assert.equal(s.get('c')!.label, 'cat', 'a pseudo-label never replaces a human one');
      assert.equal(s.get('b')!.label, 'cat', 'a later pseudo-label replaces an earlier one');
      assert.deepEqual(
        s.history('a').map((h) => [h.label, h.source, h.confidence, h.iteration]),
        [
          ['cat', 'pseudo', 0.6, 1],
          ['dog', 'imported', null, null],
        ],
      );
      assert.match(s.history('a')[0]!.time, /^\d{4}-\d\d-\d\dT/);
      s.close();
    });

    it('the review queue lists current pseudo-labels, least confident first', () => {
      const s = make();
      s.add([
        { itemId: 'x', label: '1', source: 'pseudo', confidence: 0.9, iteration: 1 },
        { itemId: 'y', label: '2', source: 'pseudo', confidence: 0.55, iteration: 1 },
        { itemId: 'z', label: '1', source: 'pseudo', confidence: 0.7, iteration: 2 },
        { itemId: 'w', label: '1', source: 'human' },
      ]);
      assert.deepEqual(
        s.reviewQueue().map((r) => r.itemId),
        ['y', 'z', 'x'],
      );
      assert.deepEqual(
        s.reviewQueue({ limit: 1 }).map((r) => r.itemId),
        ['y'],
      );
      assert.deepEqual(
        s.reviewQueue({ maxConfidence: 0.8 }).map((r) => r.itemId),
        ['y', 'z'],
      );
      s.add([{ itemId: 'y', label: '1', source: 'human' }]);
      assert.deepEqual(
        s.reviewQueue().map((r) => r.itemId),
        ['z', 'x'],
      );
      const st = s.stats();
      assert.deepEqual(st.bySource, { human: 2, pseudo: 2, imported: 0 });
      assert.deepEqual(st.byLabel, { '1': 4 });
      assert.deepEqual(st.byIteration, { '1': 1, '2': 1 });
      assert.ok(Math.abs(st.pseudoConfidence!.mean - 0.8) < 1e-12);
      assert.equal(st.records, 5);
      s.close();
    });

    it('bad records are refused with the item named', () => {
      const s = make();
      assert.throws(
        () => s.add([{ itemId: 'q', label: '', source: 'human' }]),
        /item q\): the label is empty/,
      );
      assert.throws(
        () => s.add([{ itemId: 'q', label: 'a', source: 'robot' as 'human' }]),
        /source 'robot' is not one of human, pseudo, imported/,
      );
      assert.throws(
        () => s.add([{ itemId: 'q', label: 'a', source: 'pseudo', confidence: 1.5 }]),
        /confidence 1\.5 is outside \[0, 1\]/,
      );
      s.close();
    });
  });
}

describe('CSV import and export', () => {
  it('imports labels that override pseudo-labels, skips empty ones, and exports current + history', async () => {
    const s = new SqliteLabelStore(join(tmp, 'csv.sqlite'));
    s.add([
      { itemId: '1', label: 'spam', source: 'pseudo', confidence: 0.8, iteration: 1 },
      { itemId: '2', label: 'ham', source: 'pseudo', confidence: 0.9, iteration: 1 },
    ]);
    const f = join(tmp, 'reviewed.csv');
    writeFileSync(f, 'id,label\n1,ham\n2,\n3,spam\n');
    const r = await importLabelsCsv(s, f);
    assert.deepEqual(r, { added: 2, skipped: 0, overridden: 1, empty: 1 });
    assert.equal(s.get('1')!.label, 'ham');
    assert.equal(s.get('2')!.source, 'pseudo');
    const out = join(tmp, 'labels.csv');
    assert.equal(await exportLabels(s, out), 3);
    const t = await readCsv(out, { dtypes: { id: 'string', label: 'string' } });
    assert.deepEqual(t.strings('source'), ['imported', 'pseudo', 'imported']);
    assert.equal(await exportLabels(s, join(tmp, 'h.csv'), { history: true }), 4);
    await assert.rejects(
      importLabelsCsv(s, f, { labelCol: 'tag' }),
      /reviewed\.csv, line 1, column 'tag': no label column 'tag'; the header has \[id, label\]: pass --label-col/,
    );
    s.close();
    // The file persists: reopening sees the same labels.
    const again = new SqliteLabelStore(join(tmp, 'csv.sqlite'));
    assert.equal(again.get('1')!.label, 'ham');
    again.close();
  });

  it('an unopenable store path is a LabelStoreError naming it', () => {
    writeFileSync(join(tmp, 'file'), 'x');
    assert.throws(
      () => new SqliteLabelStore(join(tmp, 'file', 'sub.sqlite')),
      /file\/sub\.sqlite: .*file is a file, not a folder \(the label store's folder\)/,
    );
  });
});

describe('opening for reading', () => {
  it('read-only refuses a missing file and creates nothing', () => {
    const path = join(tmp, 'typo.sqlite');
    for (const o of [{ readonly: true }, { mustExist: true }]) {
      assert.throws(() => openLabelStore(path, o), /typo\.sqlite: no such file \(the label store\)/);
    }
    assert.equal(existsSync(path), false);
  });

  it('read-only reads a store and cannot change it; a file that is not a store is named', () => {
    const path = join(tmp, 'ro.sqlite');
    const w = openLabelStore(path);
    w.add([{ itemId: 'a', label: 'cat', source: 'human' }]);
    w.close();
    const r = openLabelStore(path, { readonly: true });
    assert.equal(r.get('a')!.label, 'cat');
    assert.throws(() => r.add([{ itemId: 'b', label: 'dog', source: 'human' }]), /readonly/);
    r.close();
    writeFileSync(join(tmp, 'notes.csv'), '');
    assert.throws(
      () => openLabelStore(join(tmp, 'notes.csv'), { readonly: true }),
      /notes\.csv: not a label store \(it has no labels table\)/,
    );
  });
});

for (const [kind, make] of stores) {
  describe(`${kind} store transactions`, () => {
    it('keeps the changes when the work resolves, none when it throws', async () => {
      const s = make();
      await s.transaction(async () => s.add([{ itemId: 'a', label: 'cat', source: 'human' }]));
      await assert.rejects(
        s.transaction(async () => {
          s.add([{ itemId: 'b', label: 'dog', source: 'human' }]);
          await new Promise((r) => setTimeout(r, 5));
          throw new Error('disk full');
        }),
        /disk full/,
      );
      assert.deepEqual(
        s.current().map((r) => r.itemId),
        ['a'],
      );
      assert.equal(s.stats().records, 1);
      s.close();
    });

    it('an identical pseudo-label is not recorded twice (a rerun of the same self-training)', () => {
      const s = make();
      const p = { itemId: 'a', label: 'cat', source: 'pseudo' as const, confidence: 0.9, iteration: 1 };
      s.add([p]);
      assert.deepEqual(s.add([p]), { added: 0, skipped: 1, overridden: 0 });
      assert.equal(s.add([{ ...p, confidence: 0.8 }]).added, 1, 'a changed one is');
      assert.equal(s.stats().records, 2);
      s.close();
    });
  });
}

describe('commitOutputs', () => {
  it('writes every file and commits the store change, or on a failure neither', async () => {
    const d = mkdtempSync(join(tmp, 'out-'));
    const s = new SqliteLabelStore(join(d, 'l.sqlite'));
    const label = { itemId: 'a', label: 'cat', source: 'pseudo' as const, confidence: 0.9, iteration: 1 };
    await assert.rejects(
      commitOutputs(
        [
          { path: join(d, 'a.csv'), write: (tmp) => writeFileSync(tmp, 'a\n') },
          {
            path: join(d, 'b.json'),
            write: () => {
              throw new Error('no space left');
            },
          },
        ],
        s,
        (st) => st.add([label]),
      ),
      /no space left/,
    );
    assert.equal(s.stats().records, 0, 'the store change is rolled back');
    assert.deepEqual(
      readdirSync(d).filter((f) => !f.startsWith('l.sqlite')),
      [],
      'no file, no temporary',
    );
    const r = await commitOutputs(
      [{ path: join(d, 'a.csv'), write: (tmp) => writeFileSync(tmp, 'a\n') }],
      s,
      (st) => st.add([label]),
    );
    assert.equal(r?.added, 1);
    assert.equal(readFileSync(join(d, 'a.csv'), 'utf8'), 'a\n');
    assert.throws(() => checkOutputs([join(d, 'x.csv'), join(d, '.', 'x.csv')]), /are the same file/);
    assert.throws(() => checkOutputs([join(d, 'missing', 'x.csv')]), /its folder .*missing does not exist/);
    s.close();
  });
});
