/**
 * Replays an embedded event store file, in a fresh process so peak RSS is this replay's alone:
 * - projection: the gateway's start-up rebuild — ProjectionRunner over SqliteEventStore's catch-up
 *   subscription into the inventory projection (documentProjection + InMemoryDocumentStore);
 * - raw: the floor — one SELECT over the events table, JSON.parse of data and metadata per row.
 */
import Database from 'better-sqlite3';
import { SqliteEventStore } from '../../eventStore/embedded/sqliteEventStore';
import { InMemoryDocumentStore } from '../../projections/documentStore';
import type { InventoryItemView } from '../../projections/inventoryItemView/inventoryItemView';
import { inventoryItemViewDefinition } from '../../projections/inventoryItemView/inventoryItemView';
import { documentProjection } from '../../projections/projection';
import { ProjectionRunner } from '../../projections/projectionRunner';
import { fail, finish, taskInput } from '../lib/childRuntime';

export interface ReplayResult {
  readonly mode: 'projection' | 'raw';
  readonly events: number;
  readonly ms: number;
  readonly eventsPerSecond: number;
  readonly rssBefore: number;
  readonly peakRss: number;
  readonly documents: number;
  /** The replay's window on this process's monotonic clock (µs), for --cpu-prof. */
  readonly window: [number, number];
}

const clock = () => Number(process.hrtime.bigint() / 1000n);

async function main(): Promise<void> {
  const { filename, mode } = taskInput<{ filename: string; mode: 'projection' | 'raw' }>();
  const rssBefore = process.memoryUsage().rss;
  let events = 0;
  let documents: number;
  const from = clock();
  const started = performance.now();
  if (mode === 'projection') {
    const store = new SqliteEventStore({ filename });
    const views = new InMemoryDocumentStore<InventoryItemView>();
    const runner = new ProjectionRunner(store, [documentProjection(inventoryItemViewDefinition, views)]);
    await runner.start();
    events = runner.status.processedEvents;
    documents = views.size;
    await runner.stop();
    await store.close();
  } else {
    const db = new Database(filename, { readonly: true });
    const streams = new Set<string>();
    let units = 0;
    for (const row of db.prepare('SELECT * FROM events ORDER BY position').iterate() as IterableIterator<{
      data: string;
      metadata: string;
      stream_name: string;
    }>) {
      const data = JSON.parse(row.data) as { count?: number };
      JSON.parse(row.metadata);
      units += data.count ?? 0;
      streams.add(row.stream_name);
      events += 1;
    }
    documents = units > 0 ? streams.size : 0;
    db.close();
  }
  const ms = performance.now() - started;
  const to = clock();
  const result: ReplayResult = {
    mode,
    events,
    ms,
    eventsPerSecond: (events / ms) * 1000,
    rssBefore,
    peakRss: process.resourceUsage().maxRSS * 1024,
    documents,
    window: [from, to],
  };
  finish(result);
}

main().catch(fail);
