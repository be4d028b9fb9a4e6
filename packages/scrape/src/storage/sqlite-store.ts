/**
 * The embedded default store: run history, queues and datasets of every run in one SQLite file
 * (better-sqlite3), shared safely by the scheduler daemon, `run` and `status` processes.
 *
 *   const store = openSqliteStore('runs/scrape/scrape.sqlite');
 *   const last = await store.runs.latest('shop'); … await store.close();
 */
import type Database from 'better-sqlite3';
import { SqliteDataset, SqliteQueue } from './sqlite-queue.js';
import { fromRow } from './sqlite-rows.js';
import { openDatabase } from './sqlite-schema.js';
import {
  emptyStats,
  type RunInfo,
  type RunPatch,
  type RunStats,
  type RunStatus,
  type RunStore,
  type ScrapeStore,
} from './types.js';

interface RunRow {
  id: number;
  job: string;
  status: RunStatus;
  trigger: string;
  started_at: number;
  finished_at: number | null;
  pid: number | null;
  heartbeat_at: number | null;
  stats: string;
  error: string | null;
  config_hash: string | null;
  sessions: number;
}

function toRun(r: RunRow): RunInfo {
  return { ...fromRow(r), stats: { ...emptyStats(), ...(JSON.parse(r.stats) as Partial<RunStats>) } };
}

const COLUMNS: Record<keyof RunPatch, string> = {
  status: 'status',
  finishedAt: 'finished_at',
  pid: 'pid',
  heartbeatAt: 'heartbeat_at',
  stats: 'stats',
  error: 'error',
  sessions: 'sessions',
};

class SqliteRuns implements RunStore {
  constructor(private readonly db: Database.Database) {}

  async create(run: { job: string; trigger: string; configHash?: string }): Promise<RunInfo> {
    const now = Date.now();
    const id = this.db
      .prepare(
        `INSERT INTO runs (job, status, trigger, started_at, pid, heartbeat_at, stats, config_hash)
         VALUES (?, 'running', ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        run.job,
        run.trigger,
        now,
        process.pid,
        now,
        JSON.stringify(emptyStats()),
        run.configHash ?? null,
      ).lastInsertRowid;
    return (await this.get(Number(id)))!;
  }
  async get(id: number): Promise<RunInfo | undefined> {
    const row = this.db.prepare('SELECT * FROM runs WHERE id = ?').get(id) as RunRow | undefined;
    return row && toRun(row);
  }
  async latest(job: string): Promise<RunInfo | undefined> {
    const row = this.db.prepare('SELECT * FROM runs WHERE job = ? ORDER BY id DESC LIMIT 1').get(job) as
      | RunRow
      | undefined;
    return row && toRun(row);
  }
  async list(options: { job?: string; limit?: number } = {}): Promise<RunInfo[]> {
    const limit = options.limit ?? -1;
    const rows = (
      options.job === undefined
        ? this.db.prepare('SELECT * FROM runs ORDER BY id DESC LIMIT ?').all(limit)
        : this.db.prepare('SELECT * FROM runs WHERE job = ? ORDER BY id DESC LIMIT ?').all(options.job, limit)
    ) as RunRow[];
    return rows.map(toRun);
  }
  async update(id: number, patch: RunPatch): Promise<void> {
    const keys = (Object.keys(patch) as (keyof RunPatch)[]).filter((k) => k in COLUMNS);
    if (keys.length === 0) return;
    const values = keys.map((k) => {
      const v = patch[k];
      return k === 'stats' ? JSON.stringify(v) : (v ?? null);
    });
    this.db
      .prepare(`UPDATE runs SET ${keys.map((k) => `${COLUMNS[k]} = ?`).join(', ')} WHERE id = ?`)
      .run(...values, id);
  }
  async schedulerSeen(job: string): Promise<number | undefined> {
    const row = this.db.prepare('SELECT seen_at FROM scheduler WHERE job = ?').get(job) as
      | { seen_at: number }
      | undefined;
    return row?.seen_at;
  }
  async setSchedulerSeen(job: string, at: number): Promise<void> {
    this.db
      .prepare(
        'INSERT INTO scheduler (job, seen_at) VALUES (?, ?) ON CONFLICT (job) DO UPDATE SET seen_at = excluded.seen_at',
      )
      .run(job, at);
  }
}

/** Queue, dataset and run history in one SQLite file. */
export class SqliteStore implements ScrapeStore {
  readonly runs: RunStore;
  private readonly queues = new Map<number, SqliteQueue>();

  constructor(
    readonly db: Database.Database,
    readonly path: string,
  ) {
    this.runs = new SqliteRuns(db);
  }

  queue(runId: number): SqliteQueue {
    let q = this.queues.get(runId);
    if (!q) {
      q = new SqliteQueue(this.db, runId);
      this.queues.set(runId, q);
    }
    return q;
  }
  dataset(runId: number): SqliteDataset {
    return new SqliteDataset(this.db, runId);
  }
  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

/** Opens the store file at `path` (created with its directory when missing). */
export function openSqliteStore(path: string): SqliteStore {
  return new SqliteStore(openDatabase(path), path);
}
