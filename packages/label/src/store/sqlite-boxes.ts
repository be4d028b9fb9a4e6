/**
 * Box annotations in the SQLite label store: the `boxes` table, the schema version in
 * `PRAGMA user_version` (0: labels only, as stores written before boxes; 1: with boxes) and the
 * migration that brings an older file up to date when it is opened for writing. A store opened
 * read-only is never changed: an old one simply has no boxes.
 *
 *   migrateLabelStore(db);                 // version 0 → 1: adds the boxes table
 *   const boxes = new SqliteBoxes(db);     boxes.add([...]);  boxes.list({ status: 'accepted' });
 */
import type Database from 'better-sqlite3';
import { LabelStoreError } from '../errors.js';
import {
  BOX_STATUSES,
  type BoxAddResult,
  type BoxQuery,
  type BoxRecord,
  type BoxStatus,
  boxDefaults,
  checkBox,
  checkBoxLabel,
  type NewBox,
  sameBox,
} from './box-labels.js';

/** The schema version this code writes. */
export const LABEL_STORE_VERSION = 1;

const MIGRATIONS: Record<number, string> = {
  1: `
CREATE TABLE IF NOT EXISTS boxes (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  item_id TEXT NOT NULL,
  label TEXT NOT NULL,
  x1 REAL NOT NULL, y1 REAL NOT NULL, x2 REAL NOT NULL, y2 REAL NOT NULL,
  score REAL,
  source TEXT NOT NULL CHECK (source IN ('human', 'pseudo', 'imported')),
  status TEXT NOT NULL CHECK (status IN ('pending', 'accepted', 'rejected')),
  model TEXT,
  time TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS boxes_item ON boxes (item_id, id);
`,
};

/** The file's schema version; a newer one than this code knows is an error. */
export function labelStoreVersion(db: Database.Database, path: string): number {
  const v = db.pragma('user_version', { simple: true }) as number;
  if (v > LABEL_STORE_VERSION) {
    throw new LabelStoreError(
      `${path}: label store schema version ${v} is newer than this dlpipe's (${LABEL_STORE_VERSION}); update dlpipe to open it`,
    );
  }
  return v;
}

/** Applies the missing migrations in one transaction (a store opened for writing). */
export function migrateLabelStore(db: Database.Database, path: string): void {
  const from = labelStoreVersion(db, path);
  if (from === LABEL_STORE_VERSION) return;
  db.transaction(() => {
    for (let v = from + 1; v <= LABEL_STORE_VERSION; v++) db.exec(MIGRATIONS[v] ?? '');
    db.pragma(`user_version = ${LABEL_STORE_VERSION}`);
  })();
}

interface BoxRow {
  id: number;
  item_id: string;
  label: string;
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  score: number | null;
  source: BoxRecord['source'];
  status: BoxStatus;
  model: string | null;
  time: string;
}

const toBox = ({ item_id, ...r }: BoxRow): BoxRecord => ({ ...r, itemId: item_id });

/** The boxes table of an open store (absent in an old store opened read-only: no boxes). */
export class SqliteBoxes {
  private readonly present: boolean;

  constructor(private readonly db: Database.Database) {
    this.present =
      db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'boxes'").get() !== undefined;
  }

  add(boxes: NewBox[]): BoxAddResult {
    boxes.forEach(checkBox);
    const same = this.db.prepare<[string], BoxRow>('SELECT * FROM boxes WHERE item_id = ?');
    const ins = this.db.prepare(
      `INSERT INTO boxes (item_id, label, x1, y1, x2, y2, score, source, status, model, time)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const r: BoxAddResult = { added: 0, skipped: 0 };
    this.db.transaction(() => {
      for (const nb of boxes) {
        const b = boxDefaults(nb);
        if (same.all(b.itemId).some((row) => sameBox(toBox(row), b))) {
          r.skipped++;
          continue;
        }
        ins.run(b.itemId, b.label, b.x1, b.y1, b.x2, b.y2, b.score, b.source, b.status, b.model, b.time);
        r.added++;
      }
    })();
    return r;
  }

  list(q: BoxQuery = {}): BoxRecord[] {
    if (!this.present) return [];
    const conds: [string, string][] = [];
    if (q.itemId !== undefined) conds.push(['item_id', q.itemId]);
    if (q.status !== undefined && q.status !== 'all') conds.push(['status', q.status]);
    if (q.source !== undefined) conds.push(['source', q.source]);
    const where = conds.length ? ` WHERE ${conds.map(([c]) => `${c} = ?`).join(' AND ')}` : '';
    const sql = `SELECT * FROM boxes${where} ORDER BY id`;
    return this.db
      .prepare<string[], BoxRow>(sql)
      .all(...conds.map(([, v]) => v))
      .map(toBox);
  }

  setStatus(ids: number[], status: BoxStatus): number {
    if (!BOX_STATUSES.includes(status))
      throw new LabelStoreError(`box status '${status}' is not one of ${BOX_STATUSES.join(', ')}`);
    const up = this.db.prepare('UPDATE boxes SET status = ? WHERE id = ?');
    return this.db.transaction(() => ids.reduce((n, id) => n + up.run(status, id).changes, 0))();
  }

  setLabel(ids: number[], label: string): number {
    checkBoxLabel(label);
    const up = this.db.prepare('UPDATE boxes SET label = ? WHERE id = ?');
    return this.db.transaction(() => ids.reduce((n, id) => n + up.run(label, id).changes, 0))();
  }
}
