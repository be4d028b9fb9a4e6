import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { readCsv } from '@dlpipe/data';
import { exportLabels, importLabelsCsv } from './csv-labels.js';
import type { LabelStore } from './label-store.js';
import { MemoryLabelStore } from './memory-store.js';
import { SqliteLabelStore } from './sqlite-store.js';

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
      /file\/sub\.sqlite: cannot open the label store/,
    );
  });
});
