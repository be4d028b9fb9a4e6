/**
 * The SQLite file behind `SqliteStore`: WAL journal (readers never block the crawler; a SIGKILL
 * loses nothing committed), `synchronous=NORMAL` (durable against process crashes, the fast
 * setting WAL allows), a busy timeout so the scheduler and a `status` command can share the file.
 *
 *   const db = openDatabase('runs/scrape/scrape.sqlite');
 */
import { dirname } from 'node:path';
import { ensureDir, PathError } from '@dlpipe/core';
import Database from 'better-sqlite3';
import { StorageError } from '../errors.js';

/** The schema version this code writes; older files are upgraded, newer ones refused. */
export const SCHEMA_VERSION = 1;

const DDL = `
CREATE TABLE IF NOT EXISTS runs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  job TEXT NOT NULL,
  status TEXT NOT NULL,
  trigger TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  finished_at INTEGER,
  pid INTEGER,
  heartbeat_at INTEGER,
  stats TEXT NOT NULL,
  error TEXT,
  config_hash TEXT,
  sessions INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX IF NOT EXISTS runs_job ON runs (job, id);
CREATE TABLE IF NOT EXISTS requests (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  run_id INTEGER NOT NULL,
  unique_key TEXT NOT NULL,
  url TEXT NOT NULL,
  host TEXT NOT NULL,
  depth INTEGER NOT NULL,
  priority INTEGER NOT NULL DEFAULT 0,
  label TEXT,
  parent_id INTEGER,
  status TEXT NOT NULL DEFAULT 'pending',
  attempts INTEGER NOT NULL DEFAULT 0,
  not_before INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  http_status INTEGER,
  loaded_url TEXT,
  updated_at INTEGER NOT NULL,
  UNIQUE (run_id, unique_key)
);
CREATE INDEX IF NOT EXISTS requests_ready ON requests (run_id, status, priority DESC, id);
CREATE INDEX IF NOT EXISTS requests_wait ON requests (run_id, status, not_before);
CREATE TABLE IF NOT EXISTS records (
  run_id INTEGER NOT NULL,
  request_id INTEGER NOT NULL,
  idx INTEGER NOT NULL,
  data TEXT NOT NULL,
  PRIMARY KEY (run_id, request_id, idx)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS images (
  run_id INTEGER NOT NULL,
  request_id INTEGER NOT NULL,
  idx INTEGER NOT NULL,
  file TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  src TEXT NOT NULL,
  alt TEXT NOT NULL,
  page_url TEXT NOT NULL,
  width INTEGER,
  height INTEGER,
  bytes INTEGER NOT NULL,
  content_type TEXT NOT NULL,
  PRIMARY KEY (run_id, request_id, idx)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS scheduler (
  job TEXT PRIMARY KEY,
  seen_at INTEGER NOT NULL
);
`;

/** Opens (creating when needed) a store file and applies the schema. */
export function openDatabase(path: string): Database.Database {
  let db: Database.Database;
  try {
    if (path !== ':memory:') ensureDir(dirname(path), 'scrape storage folder');
    db = new Database(path);
  } catch (err) {
    if (err instanceof PathError) throw err; // names the folder that cannot be made (/proc/x: …)
    throw new StorageError(`cannot open the scrape store ${path}: ${(err as Error).message}`, { cause: err });
  }
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 10000');
  const version = Number(db.pragma('user_version', { simple: true }));
  if (version > SCHEMA_VERSION) {
    db.close();
    throw new StorageError(
      `${path} was written by a newer dlpipe (schema ${version}, this one knows ${SCHEMA_VERSION}); ` +
        'update dlpipe or point --storage elsewhere',
    );
  }
  db.exec(DDL);
  if (version < SCHEMA_VERSION) db.pragma(`user_version = ${SCHEMA_VERSION}`);
  return db;
}
