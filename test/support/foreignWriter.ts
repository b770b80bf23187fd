/**
 * Events written past the gateway's domain, as another writer would: on EventStoreDB with its own
 * client (`@eventstore/db-client`), on the embedded store through the store's own API.
 */
import { randomUUID } from 'node:crypto';
import type { EventMetadata, EventStore, JsonObject } from '../../eventStore/port';
import { appendWithEsdbClient } from './esdbTestServer/foreignWriter';

export type ForeignAppend = (
  streamName: string,
  type: string,
  data: Record<string, unknown>,
  metadata?: Record<string, unknown>,
) => Promise<bigint>;

export function foreignWriter(store: EventStore, env: Record<string, string>): ForeignAppend {
  const connectionString = env.EVENTSTORE_CONNECTION_STRING;
  if (connectionString)
    return (streamName, type, data, metadata) => appendWithEsdbClient(connectionString, streamName, type, data, metadata);
  return async (streamName, type, data, metadata = {}) =>
    (
      await store.appendToStream(
        streamName,
        [{ id: randomUUID(), type, data: data as JsonObject, metadata: { actor: 'foreign-writer', ...(metadata as EventMetadata) } }],
        {
          expectedRevision: 'any',
        },
      )
    ).position;
}
