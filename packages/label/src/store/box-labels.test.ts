import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { LabelStoreError } from '../errors.js';
import {
  applyBoxDecisions,
  type BoxDecisionRow,
  type BoxRecord,
  boxSetOf,
  decideByScore,
  type NewBox,
  parseBoxDecision,
} from './box-labels.js';
import type { LabelStore } from './label-store.js';
import { MemoryLabelStore } from './memory-store.js';
import { LABEL_STORE_VERSION } from './sqlite-boxes.js';
import { SqliteLabelStore } from './sqlite-store.js';

const tmp = mkdtempSync(join(tmpdir(), 'dlpipe-boxes-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const dog: NewBox = {
  itemId: 'img/dog.jpg',
  label: 'dog',
  x1: 124.76,
  y1: 208.37,
  x2: 313.28,
  y2: 542.23,
  score: 0.4274,
  source: 'pseudo',
  model: 'centernet',
};
const bike: NewBox = {
  ...dog,
  label: 'bicycle',
  x1: 109.45,
  y1: 122.43,
  x2: 564.16,
  y2: 445.13,
  score: 0.48,
};
const horse: NewBox = { ...dog, itemId: 'img/horses.jpg', label: 'horse', x1: 0, y1: 188, x2: 315, y2: 413 };

const stores: Array<[string, () => LabelStore]> = [
  ['memory', () => new MemoryLabelStore()],
  ['sqlite', () => new SqliteLabelStore(join(tmp, `s-${Math.random()}.sqlite`))],
];

for (const [kind, make] of stores) {
  describe(`${kind} store: box annotations`, () => {
    it('keeps boxes with class, corners, score, source, status and model; a rerun adds nothing', () => {
      const s = make();
      assert.deepEqual(s.addBoxes([dog, bike, horse]), { added: 3, skipped: 0 });
      assert.deepEqual(s.addBoxes([dog, { ...dog, model: 'other' }]), { added: 1, skipped: 1 });
      s.addBoxes([{ ...dog, label: 'cat', source: 'human', score: null, model: null }]);
      const all = s.boxes();
      assert.equal(all.length, 5);
      assert.deepEqual(
        all.map((b) => b.id),
        [1, 2, 3, 4, 5],
      );
      const { id: _id, time, ...first } = all[0]!;
      assert.deepEqual(first, { ...dog, status: 'pending' });
      assert.ok(!Number.isNaN(Date.parse(time)));
      assert.equal(all[4]!.status, 'accepted', 'human boxes are accepted when added');
      assert.equal(s.boxes({ itemId: 'img/horses.jpg' }).length, 1);
      assert.equal(s.boxes({ source: 'human' }).length, 1);
      s.close();
    });

    it('reviews boxes: accept and reject by id, query by status, counts', () => {
      const s = make();
      s.addBoxes([dog, bike, horse]);
      assert.equal(s.setBoxStatus([1, 3, 99], 'accepted'), 2);
      assert.equal(s.setBoxStatus([2], 'rejected'), 1);
      assert.deepEqual(
        s.boxes({ status: 'accepted' }).map((b) => b.label),
        ['dog', 'horse'],
      );
      assert.deepEqual(s.boxStats(), {
        boxes: 3,
        images: 2,
        byStatus: { pending: 0, accepted: 2, rejected: 1 },
        byLabel: { dog: 1, bicycle: 1, horse: 1 },
      });
      assert.deepEqual(boxSetOf(s.boxes({ status: 'all' })), {
        classNames: ['bicycle', 'dog', 'horse'],
        images: [
          {
            itemId: 'img/dog.jpg',
            boxes: [
              { x1: 124.76, y1: 208.37, x2: 313.28, y2: 542.23, classId: 1 },
              { x1: 109.45, y1: 122.43, x2: 564.16, y2: 445.13, classId: 0 },
            ],
          },
          { itemId: 'img/horses.jpg', boxes: [{ x1: 0, y1: 188, x2: 315, y2: 413, classId: 2 }] },
        ],
      });
      s.close();
    });

    it('refuses malformed boxes with the box and what was expected, storing none of the batch', () => {
      const s = make();
      const bad: Array<[NewBox, RegExp]> = [
        [{ ...dog, x2: 100 }, /box 1 \(item img\/dog\.jpg\): corners .* x1 ≤ x2/],
        [{ ...dog, score: 1.5 }, /score 1\.5 is outside \[0, 1\]/],
        [{ ...dog, label: '' }, /the class is empty/],
        [
          { ...dog, status: 'maybe' as 'pending' },
          /status 'maybe' is not one of pending, accepted, rejected/,
        ],
      ];
      for (const [b, re] of bad)
        assert.throws(
          () => s.addBoxes([horse, b]),
          (e) => e instanceof LabelStoreError && re.test(e.message),
        );
      assert.equal(s.boxes().length, 0);
      assert.throws(() => s.setBoxStatus([1], 'done' as 'accepted'), LabelStoreError);
      s.close();
    });

    it('relabels boxes by id, keeping the rest of each box', () => {
      const s = make();
      s.addBoxes([dog, bike, horse]);
      assert.equal(s.setBoxLabel([1, 3, 99], 'cat'), 2);
      assert.deepEqual(
        s.boxes().map((b) => [b.label, b.status, b.score, b.x1]),
        [
          ['cat', 'pending', 0.4274, 124.76],
          ['bicycle', 'pending', 0.48, 109.45],
          ['cat', 'pending', 0.4274, 0],
        ],
      );
      assert.deepEqual(s.boxStats().byLabel, { cat: 2, bicycle: 1 });
      assert.throws(
        () => s.setBoxLabel([2], ' '),
        (e) => e instanceof LabelStoreError && /class ' ' is empty/.test(e.message),
      );
      s.close();
    });

    it('applies review decisions all or nothing', async () => {
      const s = make();
      s.addBoxes([dog, bike, horse, { ...horse, x1: 5 }]);
      const row = (id: number, text: string, line: number): BoxDecisionRow => ({
        id,
        decision: parseBoxDecision(text)!,
        where: `r.csv line ${line}`,
      });
      const bad: Array<[BoxDecisionRow[], RegExp]> = [
        [[row(1, 'accept', 2), row(9, 'reject', 3)], /^r\.csv line 3: no box 9 in the store/],
        [
          [row(1, 'accept', 2), row(1, 'reject', 3)],
          /^r\.csv line 3: box 1 was already decided at r\.csv line 2/,
        ],
        [
          [row(2, 'relabel:bike', 4)],
          /^r\.csv line 4: unknown class 'bike'; the store has bicycle, dog, horse/,
        ],
      ];
      for (const [rows, re] of bad)
        await assert.rejects(
          applyBoxDecisions(s, rows),
          (e) => e instanceof LabelStoreError && re.test(e.message),
        );
      assert.ok(s.boxes().every((b) => b.status === 'pending'));
      const r = await applyBoxDecisions(
        s,
        [row(1, 'Accept', 2), row(2, 'reject', 3), row(3, 'relabel:zebra', 4), row(4, 'relabel:dog', 5)],
        ['zebra'],
      );
      assert.deepEqual(r, { accepted: 3, rejected: 1, relabeled: 2 });
      assert.deepEqual(
        s.boxes().map((b) => [b.id, b.label, b.status, b.source, b.x1]),
        [
          [1, 'dog', 'accepted', 'pseudo', 124.76],
          [2, 'bicycle', 'rejected', 'pseudo', 109.45],
          [3, 'horse', 'rejected', 'pseudo', 0],
          [4, 'horse', 'rejected', 'pseudo', 5],
          [5, 'zebra', 'accepted', 'human', 0],
          [6, 'dog', 'accepted', 'human', 5],
        ],
      );
      // the detector run again proposes the relabelled boxes again: they are known, not pending anew
      assert.deepEqual(s.addBoxes([horse, { ...horse, x1: 5 }]), { added: 0, skipped: 2 });
      s.close();
    });

    it('rolls boxes back with the transaction they were added in', async () => {
      const s = make();
      s.addBoxes([dog]);
      await assert.rejects(
        s.transaction(async () => {
          s.addBoxes([bike]);
          s.setBoxStatus([1], 'rejected');
          throw new Error('killed');
        }),
      );
      assert.deepEqual(
        s.boxes().map((b) => [b.label, b.status]),
        [['dog', 'pending']],
      );
      s.close();
    });
  });
}

describe('box review decisions', () => {
  it('parses accept, reject, relabel:<class>; empty is no decision, anything else unknown', () => {
    assert.deepEqual(parseBoxDecision(' ACCEPT '), { action: 'accept' });
    assert.deepEqual(parseBoxDecision('reject'), { action: 'reject' });
    assert.deepEqual(parseBoxDecision('relabel: sports ball'), { action: 'relabel', label: 'sports ball' });
    assert.equal(parseBoxDecision(''), null);
    for (const t of ['yes', 'relabel:', 'relabel', 'accepted'])
      assert.equal(parseBoxDecision(t), undefined, t);
  });

  it('decides pending boxes by score: ≥ accept-above accepted, < reject-below rejected', () => {
    const boxes: BoxRecord[] = [0.9, 0.5, 0.49, 0.1, null].map((score, i) => ({
      ...dog,
      id: i + 1,
      score,
      status: 'pending',
      model: 'centernet',
      time: '',
    }));
    boxes.push({ ...boxes[0]!, id: 6, status: 'accepted' });
    const ids = (r: { accept: { id: number }[]; reject: { id: number }[] }) => [
      r.accept.map((b) => b.id),
      r.reject.map((b) => b.id),
    ];
    assert.deepEqual(ids(decideByScore(boxes, { acceptAbove: 0.5 })), [[1, 2], []]);
    assert.deepEqual(ids(decideByScore(boxes, { rejectBelow: 0.5 })), [[], [3, 4]]);
    assert.deepEqual(ids(decideByScore(boxes, { acceptAbove: 0.8, rejectBelow: 0.2 })), [[1], [4]]);
  });
});

describe('SQLite store schema versions', () => {
  /** A store file as written before boxes existed (schema of the labels table only, version 0). */
  function oldStore(path: string): void {
    const db = new Database(path);
    db.exec(`
      CREATE TABLE labels (seq INTEGER PRIMARY KEY AUTOINCREMENT, item_id TEXT NOT NULL, label TEXT NOT NULL,
        source TEXT NOT NULL CHECK (source IN ('human', 'pseudo', 'imported')), confidence REAL, iteration INTEGER,
        time TEXT NOT NULL);
      CREATE INDEX labels_item ON labels (item_id, seq);
      CREATE VIEW current_labels AS SELECT item_id, label, source, confidence, iteration, time FROM (
        SELECT *, ROW_NUMBER() OVER (PARTITION BY item_id ORDER BY (source = 'pseudo') ASC, seq DESC) AS rn
        FROM labels) WHERE rn = 1;
      INSERT INTO labels (item_id, label, source, confidence, iteration, time)
        VALUES ('a', 'cat', 'human', NULL, NULL, '2026-01-01T00:00:00.000Z');`);
    db.close();
  }

  it('opens an old store read-only unchanged (no boxes), and migrates it when opened for writing', () => {
    const path = join(tmp, 'old.sqlite');
    oldStore(path);
    const bytes = readFileSync(path);
    const ro = new SqliteLabelStore(path, { readonly: true });
    assert.deepEqual(ro.boxes(), []);
    assert.equal(ro.boxStats().boxes, 0);
    assert.equal(ro.get('a')!.label, 'cat');
    ro.close();
    assert.ok(readFileSync(path).equals(bytes), 'a read-only open changes nothing');

    const rw = new SqliteLabelStore(path);
    assert.equal(rw.get('a')!.label, 'cat', 'labels survive the migration');
    assert.deepEqual(rw.addBoxes([dog]), { added: 1, skipped: 0 });
    rw.close();
    const db = new Database(path, { readonly: true });
    assert.equal(db.pragma('user_version', { simple: true }), LABEL_STORE_VERSION);
    db.close();
    const again = new SqliteLabelStore(path, { readonly: true });
    assert.equal(again.boxes()[0]!.label, 'dog');
    again.close();
  });

  it('refuses a store written by a newer schema', () => {
    const path = join(tmp, 'new.sqlite');
    new SqliteLabelStore(path).close();
    const db = new Database(path);
    db.pragma(`user_version = ${LABEL_STORE_VERSION + 1}`);
    db.close();
    for (const readonly of [true, false])
      assert.throws(
        () => new SqliteLabelStore(path, { readonly }),
        (e) => e instanceof LabelStoreError && /schema version 2 is newer .* update dlpipe/.test(e.message),
      );
  });
});
