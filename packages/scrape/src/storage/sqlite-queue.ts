/**
 * The request queue and dataset of one run in SQLite. Every state change is one transaction;
 * `complete` stores a page's records and images (keyed by request id and index, INSERT OR IGNORE)
 * and its links in the same transaction that marks it done, so a SIGKILL at any instant leaves
 * either the whole page or none of it, and a resumed run never stores a record twice.
 *
 *   const q = new SqliteQueue(db, runId); await q.add([{ url, depth: 0 }]);
 */
import type Database from 'better-sqlite3';
import { hostKey } from '../url/normalize-url.js';
import { fromRow } from './sqlite-rows.js';
import {
  type ClaimOptions,
  type CrawlRequest,
  type Dataset,
  type DatasetRecord,
  type ImageRecord,
  type NewRequest,
  type PageCommit,
  type QueueCounts,
  REQUEST_STATUSES,
  type RequestQueue,
  type RequestStatus,
} from './types.js';

/** Pending requests looked at per claim (those of busy hosts are passed over). */
const CLAIM_WINDOW = 512;

interface RequestRow {
  id: number;
  url: string;
  unique_key: string;
  host: string;
  depth: number;
  priority: number;
  label: string | null;
  parent_id: number | null;
  status: RequestStatus;
  attempts: number;
  not_before: number;
  last_error: string | null;
  http_status: number | null;
  loaded_url: string | null;
}

/** The columns of RequestRow (not run_id, updated_at: they are no part of a CrawlRequest). */
const REQUEST_COLUMNS =
  'id, url, unique_key, host, depth, priority, label, parent_id, status, attempts, not_before, last_error, http_status, loaded_url';

function toRequest(r: RequestRow): CrawlRequest {
  return fromRow(r);
}

export class SqliteQueue implements RequestQueue {
  private readonly insert: Database.Statement;
  private readonly candidates: Database.Statement<[number, number, number], RequestRow>;
  private readonly setStatus: Database.Statement;
  private readonly markDone: Database.Statement;
  private readonly insertRecord: Database.Statement;
  private readonly insertImage: Database.Statement;
  private readonly nextWait: Database.Statement;
  private readonly addTx: (requests: readonly NewRequest[], parentId?: number) => number;
  private readonly claimTx: (o: ClaimOptions) => CrawlRequest[];
  private readonly completeTx: (id: number, commit: PageCommit) => boolean;

  constructor(
    private readonly db: Database.Database,
    readonly runId: number,
  ) {
    this.insert = db.prepare(
      `INSERT OR IGNORE INTO requests (run_id, unique_key, url, host, depth, priority, label, parent_id, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.candidates = db.prepare(
      `SELECT ${REQUEST_COLUMNS} FROM requests INDEXED BY requests_ready WHERE run_id = ? AND status = 'pending' AND not_before <= ?
       ORDER BY priority DESC, id LIMIT ?`,
    );
    this.setStatus = db.prepare(
      `UPDATE requests SET status = @status, attempts = attempts + @inc, last_error = @error,
       not_before = @notBefore, http_status = @httpStatus, updated_at = @now WHERE id = @id AND run_id = @runId`,
    );
    this.markDone = db.prepare(
      `UPDATE requests SET status = 'done', http_status = ?, loaded_url = ?, last_error = NULL, updated_at = ?
       WHERE id = ? AND run_id = ? AND status = 'in_progress'`,
    );
    this.nextWait = db.prepare(
      `SELECT not_before AS t FROM requests WHERE run_id = ? AND status = 'pending' ORDER BY not_before LIMIT 1`,
    );
    this.insertRecord = db.prepare(
      'INSERT OR IGNORE INTO records (run_id, request_id, idx, data) VALUES (?, ?, ?, ?)',
    );
    this.insertImage = db.prepare(
      `INSERT OR IGNORE INTO images (run_id, request_id, idx, file, sha256, src, alt, page_url, width, height, bytes, content_type)
       VALUES (@runId, @requestId, @index, @file, @sha256, @src, @alt, @pageUrl, @width, @height, @bytes, @contentType)`,
    );
    this.addTx = db.transaction((requests: readonly NewRequest[], parentId?: number) => {
      let n = 0;
      const now = Date.now();
      for (const r of requests) {
        const key = r.uniqueKey ?? r.url;
        const parent = r.parentId ?? parentId ?? null;
        n += this.insert.run(
          runId,
          key,
          r.url,
          hostKey(r.url),
          r.depth,
          r.priority ?? 0,
          r.label ?? null,
          parent,
          now,
        ).changes;
      }
      return n;
    });
    const markClaimed = db.prepare(`UPDATE requests SET status = 'in_progress', updated_at = ? WHERE id = ?`);
    this.claimTx = db.transaction((o: ClaimOptions) => {
      const out: CrawlRequest[] = [];
      // read rows only until enough are accepted (most claims want one or two)
      for (const row of this.candidates.iterate(runId, o.now, CLAIM_WINDOW)) {
        const r = toRequest(row);
        if (!o.accept(r)) continue;
        out.push({ ...r, status: 'in_progress' });
        if (out.length >= o.limit) break;
      }
      const now = Date.now();
      for (const r of out) markClaimed.run(now, r.id);
      return out;
    });
    this.completeTx = db.transaction((id: number, c: PageCommit) => {
      if (this.markDone.run(c.httpStatus ?? null, c.loadedUrl ?? null, Date.now(), id, runId).changes === 0)
        return false;
      for (const [i, data] of c.records.entries()) this.insertRecord.run(runId, id, i, JSON.stringify(data));
      for (const img of c.images)
        this.insertImage.run({
          ...img,
          runId,
          requestId: id,
          width: img.width ?? null,
          height: img.height ?? null,
        });
      this.addTx(c.links, id);
      return true;
    });
  }

  private update(
    id: number,
    status: RequestStatus,
    inc: number,
    error: string | undefined,
    notBefore: number,
    httpStatus: number | undefined,
  ): void {
    this.setStatus.run({
      id,
      runId: this.runId,
      status,
      inc,
      error: error ?? null,
      notBefore,
      httpStatus: httpStatus ?? null,
      now: Date.now(),
    });
  }

  async add(requests: readonly NewRequest[]): Promise<number> {
    return this.addTx(requests);
  }
  async claim(options: ClaimOptions): Promise<CrawlRequest[]> {
    return this.claimTx(options);
  }
  async complete(id: number, commit: PageCommit): Promise<boolean> {
    return this.completeTx(id, commit);
  }
  async retry(id: number, error: string, notBefore: number, httpStatus?: number): Promise<void> {
    this.update(id, 'pending', 1, error, notBefore, httpStatus);
  }
  async fail(id: number, error: string, httpStatus?: number): Promise<void> {
    this.update(id, 'failed', 1, error, 0, httpStatus);
  }
  async skip(id: number, reason: string, httpStatus?: number): Promise<void> {
    this.update(id, 'skipped', 0, reason, 0, httpStatus);
  }
  async release(): Promise<number> {
    return this.db
      .prepare(
        `UPDATE requests SET status = 'pending', updated_at = ? WHERE run_id = ? AND status = 'in_progress'`,
      )
      .run(Date.now(), this.runId).changes;
  }
  async counts(): Promise<QueueCounts> {
    const c = Object.fromEntries(REQUEST_STATUSES.map((s) => [s, 0])) as QueueCounts;
    const rows = this.db
      .prepare('SELECT status, COUNT(*) AS n FROM requests WHERE run_id = ? GROUP BY status')
      .all(this.runId) as { status: RequestStatus; n: number }[];
    for (const r of rows) c[r.status] = r.n;
    return c;
  }
  async nextNotBefore(): Promise<number | undefined> {
    const row = this.nextWait.get(this.runId) as { t: number } | undefined;
    return row?.t;
  }
  async list(status: RequestStatus, limit: number): Promise<CrawlRequest[]> {
    const rows = this.db
      .prepare(`SELECT ${REQUEST_COLUMNS} FROM requests WHERE run_id = ? AND status = ? ORDER BY id LIMIT ?`)
      .all(this.runId, status, limit) as RequestRow[];
    return rows.map(toRequest);
  }
}

interface ImageRow {
  request_id: number;
  idx: number;
  file: string;
  sha256: string;
  src: string;
  alt: string;
  page_url: string;
  width: number | null;
  height: number | null;
  bytes: number;
  content_type: string;
}

export class SqliteDataset implements Dataset {
  constructor(
    private readonly db: Database.Database,
    readonly runId: number,
  ) {}

  async count(): Promise<number> {
    return (
      this.db.prepare('SELECT COUNT(*) AS n FROM records WHERE run_id = ?').get(this.runId) as { n: number }
    ).n;
  }
  async *records(): AsyncIterable<DatasetRecord> {
    const sql =
      'SELECT request_id, idx, data FROM records WHERE run_id = ? AND (request_id, idx) > (?, ?) ORDER BY request_id, idx LIMIT ?';
    type Row = { request_id: number; idx: number; data: string };
    for (const r of pages<Row>(this.db.prepare(sql), this.runId)) {
      yield { requestId: r.request_id, index: r.idx, data: JSON.parse(r.data) as Record<string, unknown> };
    }
  }
  async imageCount(): Promise<number> {
    return (
      this.db.prepare('SELECT COUNT(*) AS n FROM images WHERE run_id = ?').get(this.runId) as { n: number }
    ).n;
  }
  async *images(): AsyncIterable<ImageRecord & { requestId: number }> {
    const sql = `SELECT request_id, idx, file, sha256, src, alt, page_url, width, height, bytes, content_type
      FROM images WHERE run_id = ? AND (request_id, idx) > (?, ?) ORDER BY request_id, idx LIMIT ?`;
    for (const r of pages<ImageRow>(this.db.prepare(sql), this.runId)) {
      const { requestId, idx, ...image } = fromRow(r);
      yield { requestId, index: idx, ...image };
    }
  }
}

/** Rows in (request_id, idx) order, read a page at a time so no statement stays open between yields. */
function* pages<T extends { request_id: number; idx: number }>(
  stmt: Database.Statement,
  runId: number,
  size = 1000,
): Generator<T> {
  let after: [number, number] = [-1, -1];
  for (;;) {
    const rows = stmt.all(runId, after[0], after[1], size) as T[];
    yield* rows;
    const last = rows.at(-1);
    if (!last || rows.length < size) return;
    after = [last.request_id, last.idx];
  }
}
