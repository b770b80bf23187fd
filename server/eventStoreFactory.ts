import { chmodSync, closeSync, existsSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { SqliteEventStore } from '../eventStore/embedded/sqliteEventStore';
import { createEsdbEventStore } from '../eventStore/esdb/esdbEventStore';
import type { EventStore } from '../eventStore/port';
import { ensurePrivateDirectory, type GatewayConfig } from './config';

/**
 * The embedded SQLite store by default (taking DATA_DIR for this process alone: one writer per
 * directory); EventStoreDB when a connection string is configured.
 */
export function createEventStore(config: GatewayConfig): EventStore {
  if (config.eventStoreConnectionString !== null) return createEsdbEventStore(config.eventStoreConnectionString);
  if (config.embeddedFilename === ':memory:') return new SqliteEventStore({ filename: config.embeddedFilename });
  preparePrivateDatabaseFile(config.embeddedFilename);
  // The commit's fsync on a writer thread: the event loop goes on answering meanwhile.
  return new SqliteEventStore({ filename: config.embeddedFilename, exclusiveDataDir: config.dataDir, writerThread: true });
}

const SQLITE_SIDE_FILES = ['-wal', '-shm', '-journal'];

/**
 * The event log is readable by the gateway's user only: its folder 0700, the database file 0600,
 * created here before SQLite opens it. SQLite creates the WAL and shared-memory files with the
 * database file's permissions, so they are 0600 too; files left by an older version are tightened.
 * (Done here rather than in the store, which opens whatever file it is given.)
 */
export function preparePrivateDatabaseFile(filename: string): void {
  ensurePrivateDirectory(dirname(filename));
  if (!existsSync(filename)) closeSync(openSync(filename, 'a', 0o600));
  for (const file of [filename, ...SQLITE_SIDE_FILES.map((suffix) => `${filename}${suffix}`)]) {
    if (existsSync(file)) chmodSync(file, 0o600);
  }
}
