/**
 * Another writer on the same EventStoreDB (an older gateway, a migration, an operator's tool):
 * appends with `@eventstore/db-client` directly, bypassing the gateway's adapter and its domain,
 * so tests can put events into a stream that the gateway itself would never write.
 */
import { EventStoreDBClient, jsonEvent } from '@eventstore/db-client';

export async function appendWithEsdbClient(
  connectionString: string,
  streamName: string,
  type: string,
  data: Record<string, unknown>,
  metadata: Record<string, unknown> = {},
): Promise<bigint> {
  const client = EventStoreDBClient.connectionString(connectionString);
  try {
    const result = await client.appendToStream(
      streamName,
      jsonEvent({ type, data: data as never, metadata: { actor: 'foreign-writer', ...metadata } as never }),
    );
    if (!result.position) throw new Error(`the append to ${streamName} returned no position`);
    return result.position.commit;
  } finally {
    await client.dispose();
  }
}

/** Events as another writer stored them (ids and metadata as given), each at its stream revision, in order. */
export async function appendStoredWithEsdbClient(
  connectionString: string,
  events: ReadonlyArray<{
    streamName: string;
    revision: number;
    id: string;
    type: string;
    data: Record<string, unknown>;
    metadata: Record<string, unknown>;
  }>,
): Promise<void> {
  const client = EventStoreDBClient.connectionString(connectionString);
  try {
    for (const { streamName, revision, id, type, data, metadata } of events) {
      await client.appendToStream(streamName, jsonEvent({ id, type, data: data as never, metadata: metadata as never }), {
        expectedRevision: revision === 0 ? 'no_stream' : BigInt(revision - 1),
      });
    }
  } finally {
    await client.dispose();
  }
}
