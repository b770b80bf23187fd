/**
 * Replays an embedded event store file, in a fresh process so peak RSS is this replay's alone:
 * - projection: the gateway's start-up rebuild — ProjectionRunner over SqliteEventStore's catch-up
 *   subscription, read through the upcasting decorator as the gateway reads it, into the inventory
 *   projection (documentProjection + InMemoryDocumentStore);
 * - raw: the floor as the issue measured it — one SELECT over the events table, row by row
 *   (`iterate()`, row objects), JSON.parse of data and metadata per row;
 * - rawPaged: a lower floor — the same SELECT in pages of 2,000 rows (`all()`, raw arrays: how the
 *   store now reads), JSON.parse of data and metadata per row.
 */
import Database from 'better-sqlite3';
import { upcastingEventStore } from '../../application/upcastingEventStore';
import { shopEventVersioning } from '../../domain/shopEventVersioning';
import { SqliteEventStore } from '../../eventStore/embedded/sqliteEventStore';
import { InMemoryDocumentStore } from '../../projections/documentStore';
import type { InventoryItemView } from '../../projections/inventoryItemView/inventoryItemView';
import { inventoryItemViewDefinition } from '../../projections/inventoryItemView/inventoryItemView';
import { documentProjection } from '../../projections/projection';
import { ProjectionRunner } from '../../projections/projectionRunner';
import { fail, finish, taskInput } from '../lib/childRuntime';

export type ReplayMode = 'projection' | 'raw' | 'rawPaged';

const PAGE_ROWS = 2000;

export interface ReplayResult {
  readonly mode: ReplayMode;
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
  const { filename, mode } = taskInput<{ filename: string; mode: ReplayMode }>();
  const rssBefore = process.memoryUsage().rss;
  let events = 0;
  let documents: number;
  const from = clock();
  const started = performance.now();
  if (mode === 'projection') {
    const store = new SqliteEventStore({ filename });
    const views = new InMemoryDocumentStore<InventoryItemView>();
    const runner = new ProjectionRunner(upcastingEventStore(store, shopEventVersioning), [
      documentProjection(inventoryItemViewDefinition, views),
    ]);
    await runner.start();
    events = runner.status.processedEvents;
    documents = views.size;
    await runner.stop();
    await store.close();
  } else if (mode === 'rawPaged') {
    const db = new Database(filename, { readonly: true });
    const page = db
      .prepare(
        'SELECT position, event_id, stream_name, stream_revision, type, data, metadata, recorded_at FROM events WHERE position > ? ORDER BY position LIMIT ?',
      )
      .raw();
    const streams = new Set<string>();
    let units = 0;
    for (let after = 0; ;) {
      const rows = page.all(after, PAGE_ROWS) as Array<[number, string, string, number, string, string, string, string]>;
      if (rows.length === 0) break;
      for (const row of rows) {
        const data = JSON.parse(row[5]) as { count?: number };
        JSON.parse(row[6]);
        units += data.count ?? 0;
        streams.add(row[2]);
        events += 1;
      }
      after = rows[rows.length - 1]![0];
    }
    documents = units > 0 ? streams.size : 0;
    db.close();
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
