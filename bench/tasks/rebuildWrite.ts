/**
 * Writes N inventory events straight into an embedded event store file through SqliteEventStore:
 * many appends per event-loop turn, so they are group-committed (thousands of rows per
 * transaction). Streams of 100 events (one InventoryItemCreated, then check-ins, removals and the
 * odd rename), appended 10 at a time and interleaved across streams, as live traffic would be.
 */
import { randomUUID } from 'node:crypto';
import { SqliteEventStore } from '../../eventStore/embedded/sqliteEventStore';
import type { EventToAppend } from '../../eventStore/port';
import { inventoryItemStreamName } from '../../domain/inventory';
import { fail, finish, taskInput } from '../lib/childRuntime';

const PER_STREAM = 100;
const PER_APPEND = 10;
const STREAMS_PER_TURN = 500;

function eventFor(itemId: string, index: number, occurredAt: string, commandId: string): EventToAppend {
  const metadata = { commandId, correlationId: commandId, actor: 'bench', occurredAt };
  if (index === 0) {
    return {
      id: randomUUID(),
      type: 'InventoryItemCreated',
      data: { itemId, sku: `SKU-${itemId.slice(0, 8)}`, name: `Item ${itemId.slice(0, 8)}`, unitPriceCents: 1999 },
      metadata,
    };
  }
  if (index % 25 === 0)
    return { id: randomUUID(), type: 'InventoryItemRenamed', data: { itemId, name: `Item ${itemId.slice(0, 8)} v${index}` }, metadata };
  if (index % 3 === 0) return { id: randomUUID(), type: 'ItemsRemovedFromInventory', data: { itemId, count: 1 }, metadata };
  return { id: randomUUID(), type: 'ItemsCheckedIn', data: { itemId, count: 5 }, metadata };
}

async function main(): Promise<void> {
  const { filename, events } = taskInput<{ filename: string; events: number }>();
  const store = new SqliteEventStore({ filename, synchronous: 'normal' });
  const streams = Math.ceil(events / PER_STREAM);
  const itemIds = Array.from({ length: streams }, () => randomUUID());
  const started = performance.now();
  let written = 0;
  for (let from = 0; from < PER_STREAM; from += PER_APPEND) {
    for (let first = 0; first < streams; first += STREAMS_PER_TURN) {
      const appends: Array<Promise<unknown>> = [];
      for (let s = first; s < Math.min(streams, first + STREAMS_PER_TURN); s += 1) {
        const count = Math.min(PER_APPEND, PER_STREAM - from, events - s * PER_STREAM - from);
        if (count <= 0) continue;
        const itemId = itemIds[s]!;
        const commandId = randomUUID();
        const occurredAt = new Date().toISOString();
        const batch = Array.from({ length: count }, (_, i) => eventFor(itemId, from + i, occurredAt, commandId));
        appends.push(
          store.appendToStream(inventoryItemStreamName(itemId), batch, { expectedRevision: from === 0 ? 'no_stream' : from - 1 }),
        );
        written += count;
      }
      await Promise.all(appends);
    }
  }
  const ms = performance.now() - started;
  await store.close();
  finish({ events: written, streams, ms });
}

main().catch(fail);
