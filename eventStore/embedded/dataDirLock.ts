/**
 * One writer per DATA_DIR: the embedded store wakes its `$all` subscribers on its own commits only,
 * so a second process on the same SQLite file would never see the first one's writes. Whoever holds
 * this lock is the only gateway process on the directory.
 *
 * The lock is an OS lock the kernel drops when its process dies, even on kill -9, so no stale lock
 * ever blocks the next start: a small SQLite database `gateway.lock` in DATA_DIR (WAL mode) with a
 * write transaction held open for the life of the process. SQLite implements that with POSIX
 * advisory locks on the `-shm` file. Before taking the write lock, the holder commits who it is
 * (pid, host, start time); in WAL mode other processes can still read that while the write lock is
 * held, which is how a refused start names the holder.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

export const DATA_DIR_LOCK_FILE = 'gateway.lock';

export interface LockOwner {
  readonly pid: number;
  readonly host: string;
  readonly startedAt: string;
}

export class DataDirInUseError extends Error {
  readonly code = 'DATA_DIR_IN_USE';
  constructor(
    readonly dataDir: string,
    readonly owner: LockOwner | null,
  ) {
    const who = owner ? `process ${owner.pid} on ${owner.host}, started ${owner.startedAt}` : 'another process';
    super(
      `DATA_DIR ${dataDir} is in use by ${who}. The embedded event store allows one gateway process per DATA_DIR: ` +
        'stop that process first, or give this one its own DATA_DIR. To run several gateway instances on the same ' +
        'events, use EventStoreDB (set EVENTSTORE_CONNECTION_STRING=esdb://…).',
    );
    this.name = 'DataDirInUseError';
  }
}

export class DataDirLock {
  private constructor(private readonly db: Database.Database) {}

  /** Takes the lock on `dataDir` or throws DataDirInUseError naming the process that holds it. */
  static acquire(dataDir: string): DataDirLock {
    mkdirSync(dataDir, { recursive: true });
    const db = new Database(join(dataDir, DATA_DIR_LOCK_FILE));
    try {
      db.pragma('busy_timeout = 0');
      const owner: LockOwner = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString() };
      // The first write transaction decides who owns the directory; once it commits, the owner is
      // readable by others, and the second one holds the write lock for the life of the process.
      // A process that slips in between the two loses at the second and reports the winner.
      const claim = () => {
        db.prepare('BEGIN IMMEDIATE').run();
        db.prepare('INSERT OR REPLACE INTO owner (id, pid, host, started_at) VALUES (1, ?, ?, ?)').run(
          owner.pid,
          owner.host,
          owner.startedAt,
        );
        db.prepare('COMMIT').run();
        db.prepare('BEGIN IMMEDIATE').run();
      };
      try {
        db.pragma('journal_mode = WAL');
        db.exec('CREATE TABLE IF NOT EXISTS owner (id INTEGER PRIMARY KEY CHECK (id = 1), pid INTEGER, host TEXT, started_at TEXT)');
        claim();
      } catch (error) {
        if (!isBusy(error)) throw error;
        throw new DataDirInUseError(dataDir, readOwner(db));
      }
      return new DataDirLock(db);
    } catch (error) {
      if (db.inTransaction) db.prepare('ROLLBACK').run();
      db.close();
      throw error;
    }
  }

  release(): void {
    if (!this.db.open) return;
    if (this.db.inTransaction) this.db.prepare('ROLLBACK').run();
    this.db.close();
  }
}

function readOwner(db: Database.Database): LockOwner | null {
  try {
    const row = db.prepare('SELECT pid, host, started_at AS startedAt FROM owner WHERE id = 1').get() as LockOwner | undefined;
    return row ?? null;
  } catch {
    return null;
  }
}

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED' || (typeof code === 'string' && code.startsWith('SQLITE_BUSY'));
}
