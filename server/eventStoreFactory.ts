import { SqliteEventStore } from '../eventStore/embedded/sqliteEventStore';
import { createEsdbEventStore } from '../eventStore/esdb/esdbEventStore';
import type { EventStore } from '../eventStore/port';
import type { GatewayConfig } from './config';

/**
 * The embedded SQLite store by default (taking DATA_DIR for this process alone: one writer per
 * directory); EventStoreDB when a connection string is configured.
 */
export function createEventStore(config: GatewayConfig): EventStore {
  if (config.eventStoreConnectionString !== null) return createEsdbEventStore(config.eventStoreConnectionString);
  if (config.embeddedFilename === ':memory:') return new SqliteEventStore({ filename: config.embeddedFilename });
  return new SqliteEventStore({ filename: config.embeddedFilename, exclusiveDataDir: config.dataDir });
}
