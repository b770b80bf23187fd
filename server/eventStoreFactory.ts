import { SqliteEventStore } from '../eventStore/embedded/sqliteEventStore';
import { createEsdbEventStore } from '../eventStore/esdb/esdbEventStore';
import type { EventStore } from '../eventStore/port';
import type { GatewayConfig } from './config';

/** The embedded SQLite store by default; EventStoreDB when a connection string is configured. */
export function createEventStore(config: GatewayConfig): EventStore {
  if (config.eventStoreConnectionString !== null) return createEsdbEventStore(config.eventStoreConnectionString);
  return new SqliteEventStore({ filename: config.embeddedFilename });
}
