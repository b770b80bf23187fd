/**
 * The embedded store's SQLite file: how a connection opens it (WAL, durability, schema) and the
 * few facts about its tables that both the reading and the writing connection need.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export type Synchronous = 'full' | 'normal';

/** SQL condition: the row is not in an internal (`_`-prefixed) stream (see `isInternalStream`). */
export const USER_STREAM = "substr(stream_name, 1, 1) <> '_'";

export interface RetentionRow {
  max_count: number | null;
  max_age_seconds: number | null;
  last_revision: number | null;
}

export const SELECT_RETENTION = 'SELECT max_count, max_age_seconds, last_revision FROM stream_metadata WHERE stream_name = ?';
export const SELECT_CURRENT_REVISION = 'SELECT MAX(stream_revision) AS revision FROM events WHERE stream_name = ?';

export function openEventDatabase(filename: string, synchronous: Synchronous = 'full'): Database.Database {
  if (filename !== ':memory:') mkdirSync(dirname(filename), { recursive: true });
  const db = new Database(filename);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${synchronous === 'normal' ? 'NORMAL' : 'FULL'}`);
  db.pragma('busy_timeout = 5000');
  db.exec(`
    CREATE TABLE IF NOT EXISTS events (
      position        INTEGER PRIMARY KEY AUTOINCREMENT,
      event_id        TEXT    NOT NULL,
      stream_name     TEXT    NOT NULL,
      stream_revision INTEGER NOT NULL,
      type            TEXT    NOT NULL,
      data            TEXT    NOT NULL,
      metadata        TEXT    NOT NULL,
      recorded_at     TEXT    NOT NULL,
      UNIQUE (stream_name, stream_revision)
    );
    -- Event ids are unique per stream (as in EventStoreDB), looked up for idempotent retries.
    CREATE INDEX IF NOT EXISTS events_by_stream_and_id ON events (stream_name, event_id);
    CREATE TABLE IF NOT EXISTS stream_metadata (
      stream_name     TEXT PRIMARY KEY,
      max_count       INTEGER,
      max_age_seconds INTEGER,
      -- The stream's revision when its rows may all have been deleted by retention.
      last_revision   INTEGER
    );
  `);
  return db;
}

/** The oldest `recorded_at` the stream's maxAge keeps ('' keeps everything). ISO-8601 strings sort as times. */
export function maxAgeCutoff(retention: RetentionRow): string {
  if (retention.max_age_seconds === null) return '';
  return new Date(Date.now() - retention.max_age_seconds * 1000).toISOString();
}
