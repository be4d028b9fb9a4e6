/**
 * The SQLite label store (better-sqlite3, one file, WAL): an append-only `labels` table and the
 * current label per item chosen by SQL (human/imported over pseudo, then latest). Readers open it
 * read-only and refuse a missing file, so a mistyped path is an error, not a new empty store.
 *
 *   const store = new SqliteLabelStore('runs/labels.sqlite');  …  store.close();
 *   const seen = openLabelStore('runs/labels.sqlite', { readonly: true });  // must exist
 */
import { dirname } from 'node:path';
import { checkInputFile, DlpipeError, ensureDir, PathError } from '@dlpipe/core';
import Database from 'better-sqlite3';
import { LabelStoreError } from '../errors.js';
import {
  type BoxAddResult,
  type BoxQuery,
  type BoxRecord,
  type BoxStats,
  type BoxStatus,
  computeBoxStats,
  type NewBox,
} from './box-labels.js';
import {
  type AddResult,
  computeStats,
  type LabelRecord,
  type LabelStats,
  type LabelStore,
  type NewLabel,
  type ReviewOptions,
  samePseudoLabel,
} from './label-store.js';
import { checkLabel } from './memory-store.js';
import { labelStoreVersion, migrateLabelStore, SqliteBoxes } from './sqlite-boxes.js';

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

/** How a store file is opened. */
export interface LabelStoreOptions {
  /** Only read (stats, export, review listing): no change is possible. Implies mustExist. Default false. */
  readonly?: boolean;
  /** Refuse a missing file instead of creating an empty store (and its folder). Default false. */
  mustExist?: boolean;
}

/** Opens the database: a PathError naming the file when it is missing (mustExist) or its folder cannot be made. */
function openDatabase(path: string, o: LabelStoreOptions): Database.Database {
  const mustExist = Boolean(o.readonly || o.mustExist);
  if (path === ':memory:') return new Database(path);
  if (mustExist) checkInputFile(path, 'label store');
  else {
    try {
      ensureDir(dirname(path), "label store's folder");
    } catch (err) {
      // "<store>: cannot create /proc/x (ENOENT) (the label store's folder)": the store's path first
      const why = err instanceof PathError ? err.message.slice(err.path.length + 2) : (err as Error).message;
      throw new LabelStoreError(`${path}: ${why}`, { cause: err });
    }
  }
  return new Database(path, { readonly: Boolean(o.readonly), fileMustExist: mustExist });
}

export class SqliteLabelStore implements LabelStore {
  private readonly db: Database.Database;
  private readonly boxTable: SqliteBoxes;

  constructor(
    readonly path: string,
    options: LabelStoreOptions = {},
  ) {
    let db: Database.Database | undefined;
    try {
      db = openDatabase(path, options);
      if (!options.readonly) {
        db.pragma('journal_mode = WAL');
        db.exec(SCHEMA);
        migrateLabelStore(db, path);
      }
      const found = db
        .prepare<[], { name: string }>(
          "SELECT name FROM sqlite_master WHERE name IN ('labels', 'current_labels')",
        )
        .all();
      if (found.length !== 2) {
        throw new LabelStoreError(
          `${path}: not a label store (it has no labels table); pass the file written by pnpm label self-train or import`,
        );
      }
      labelStoreVersion(db, path);
      this.db = db;
      this.boxTable = new SqliteBoxes(db);
    } catch (err) {
      db?.close();
      if (err instanceof DlpipeError) throw err;
      throw new LabelStoreError(`${path}: cannot open the label store: ${(err as Error).message}`, {
        cause: err,
      });
    }
  }

  add(labels: NewLabel[]): AddResult {
    labels.forEach(checkLabel);
    const cur = this.db.prepare<[string], Pick<LabelRecord, 'label' | 'source' | 'confidence' | 'iteration'>>(
      'SELECT label, source, confidence, iteration FROM current_labels WHERE item_id = ?',
    );
    const ins = this.db.prepare(
      'INSERT INTO labels (item_id, label, source, confidence, iteration, time) VALUES (?, ?, ?, ?, ?, ?)',
    );
    const r: AddResult = { added: 0, skipped: 0, overridden: 0 };
    this.db.transaction(() => {
      for (const l of labels) {
        const now = cur.get(l.itemId);
        const c = now?.source;
        if ((l.source === 'pseudo' && c && c !== 'pseudo') || samePseudoLabel(l, now)) {
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

  /** BEGIN IMMEDIATE … COMMIT around async work; `add` inside it nests (a savepoint). */
  async transaction<T>(work: () => Promise<T>): Promise<T> {
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const r = await work();
      this.db.exec('COMMIT');
      return r;
    } catch (err) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      throw err;
    }
  }

  addBoxes(boxes: NewBox[]): BoxAddResult {
    return this.boxTable.add(boxes);
  }

  boxes(query: BoxQuery = {}): BoxRecord[] {
    return this.boxTable.list(query);
  }

  setBoxStatus(ids: number[], status: BoxStatus): number {
    return this.boxTable.setStatus(ids, status);
  }

  setBoxLabel(ids: number[], label: string): number {
    return this.boxTable.setLabel(ids, label);
  }

  boxStats(): BoxStats {
    return computeBoxStats(this.boxes());
  }

  close(): void {
    this.db.close();
  }
}

/**
 * A store by path: ':memory:' or a SQLite file, created (with its folder) when missing unless
 * `readonly` or `mustExist`.
 */
export function openLabelStore(path: string, options: LabelStoreOptions = {}): LabelStore {
  return new SqliteLabelStore(path, options);
}
