/**
 * The SQLite label store (better-sqlite3, one file, WAL): an append-only `labels` table and the
 * current label per item chosen by SQL (human/imported over pseudo, then latest).
 *
 *   const store = new SqliteLabelStore('runs/labels.sqlite');  …  store.close();
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { LabelStoreError } from '../errors.js';
import {
  type AddResult,
  computeStats,
  type LabelRecord,
  type LabelStats,
  type LabelStore,
  type NewLabel,
  type ReviewOptions,
} from './label-store.js';
import { checkLabel } from './memory-store.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS labels (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  item_id TEXT NOT NULL,
  label TEXT NOT NULL,
  source TEXT NOT NULL CHECK (source IN ('human', 'pseudo', 'imported')),
  confidence REAL,
  iteration INTEGER,
  time TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS labels_item ON labels (item_id, seq);
CREATE VIEW IF NOT EXISTS current_labels AS
  SELECT item_id, label, source, confidence, iteration, time FROM (
    SELECT *, ROW_NUMBER() OVER (
      PARTITION BY item_id ORDER BY (source = 'pseudo') ASC, seq DESC
    ) AS rn FROM labels
  ) WHERE rn = 1;
`;

interface DbRow {
  item_id: string;
  label: string;
  source: LabelRecord['source'];
  confidence: number | null;
  iteration: number | null;
  time: string;
}

const toRecord = (r: DbRow): LabelRecord => ({
  itemId: r.item_id,
  label: r.label,
  source: r.source,
  confidence: r.confidence,
  iteration: r.iteration,
  time: r.time,
});

export class SqliteLabelStore implements LabelStore {
  private readonly db: Database.Database;

  constructor(readonly path: string) {
    try {
      if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
      this.db = new Database(path);
      this.db.pragma('journal_mode = WAL');
      this.db.exec(SCHEMA);
    } catch (err) {
      throw new LabelStoreError(`${path}: cannot open the label store: ${(err as Error).message}`, {
        cause: err,
      });
    }
  }

  add(labels: NewLabel[]): AddResult {
    labels.forEach(checkLabel);
    const cur = this.db.prepare<[string], { source: string }>(
      'SELECT source FROM current_labels WHERE item_id = ?',
    );
    const ins = this.db.prepare(
      'INSERT INTO labels (item_id, label, source, confidence, iteration, time) VALUES (?, ?, ?, ?, ?, ?)',
    );
    const r: AddResult = { added: 0, skipped: 0, overridden: 0 };
    this.db.transaction(() => {
      for (const l of labels) {
        const c = cur.get(l.itemId)?.source;
        if (l.source === 'pseudo' && c && c !== 'pseudo') {
          r.skipped++;
          continue;
        }
        if (l.source !== 'pseudo' && c === 'pseudo') r.overridden++;
        ins.run(
          l.itemId,
          l.label,
          l.source,
          l.confidence ?? null,
          l.iteration ?? null,
          l.time ?? new Date().toISOString(),
        );
        r.added++;
      }
    })();
    return r;
  }

  current(): LabelRecord[] {
    return this.db.prepare<[], DbRow>('SELECT * FROM current_labels ORDER BY item_id').all().map(toRecord);
  }

  get(itemId: string): LabelRecord | undefined {
    const r = this.db.prepare<[string], DbRow>('SELECT * FROM current_labels WHERE item_id = ?').get(itemId);
    return r && toRecord(r);
  }

  history(itemId: string): LabelRecord[] {
    return this.db
      .prepare<[string], DbRow>('SELECT * FROM labels WHERE item_id = ? ORDER BY seq')
      .all(itemId)
      .map(toRecord);
  }

  reviewQueue(o: ReviewOptions = {}): LabelRecord[] {
    return this.db
      .prepare<[number, number], DbRow>(
        `SELECT * FROM current_labels WHERE source = 'pseudo' AND COALESCE(confidence, 0) <= ?
         ORDER BY COALESCE(confidence, 0) ASC, item_id LIMIT ?`,
      )
      .all(o.maxConfidence ?? 1, o.limit ?? 20)
      .map(toRecord);
  }

  stats(): LabelStats {
    const n = this.db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM labels').get()!.n;
    return computeStats(this.current(), n);
  }

  close(): void {
    this.db.close();
  }
}

/** A store by path: ':memory:' or a SQLite file (created when missing). */
export function openLabelStore(path: string): LabelStore {
  return new SqliteLabelStore(path);
}
