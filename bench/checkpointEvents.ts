/**
 * How many process-manager checkpoint events an order run leaves behind.
 *
 *   cd bench && node --import tsx checkpointEvents.ts [--orders 10000] [--backend embedded|esdb] [--concurrency 32]
 *
 * Starts the real gateway in this process (the process manager on, payment latency 0) on a fresh
 * store (a SQLite file, or the EventStoreDB protocol test server in this process), places the orders
 * over GraphQL, waits until the process manager has finished every one, stops the gateway (which
 * writes its last checkpoint) and counts:
 * - `stored`: checkpoint events physically kept (SQLite rows; the test server's log, which, like
 *   EventStoreDB before a scavenge, keeps events that `$maxCount` no longer returns);
 * - `inAll`: checkpoint events a `readAll` of `$all` returns (history, feeds and projection lag read that);
 * - `readable`: events a read of the checkpoint stream returns.
 * Deliberately uses only what existed before checkpoints became one value, so it runs on older commits too.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../eventStore/embedded/sqliteEventStore';
import { createEsdbEventStore } from '../eventStore/esdb/esdbEventStore';
import { StreamNotFoundError } from '../eventStore/errors';
import type { EventStore } from '../eventStore/port';
import { startEsdbTestServer } from '../test/support/esdbTestServer';
import { createItem, graphql, startTestGateway } from '../test/support/gatewayHarness';

const CHECKPOINT_TYPE = 'ProcessManagerCheckpointStored';
const CHECKPOINT_STREAMS = ['_checkpoint-orderFulfilment', 'processManagerCheckpoint-orderFulfilment'];

function option(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? fallback : process.argv[index + 1]!;
}

async function main(): Promise<void> {
  const orders = Number(option('orders', '10000'));
  const backend = option('backend', 'embedded');
  const concurrency = Number(option('concurrency', '32'));
  const dir = mkdtempSync(join(tmpdir(), 'eventshop-checkpoints-'));
  const filename = join(dir, 'events.sqlite');
  const server = backend === 'esdb' ? await startEsdbTestServer({}) : undefined;
  const open = (): EventStore => (server ? createEsdbEventStore(server.connectionString) : new SqliteEventStore({ filename }));

  const started = Date.now();
  const gateway = await startTestGateway(open(), { PAYMENT_LATENCY_MS: '0' });
  const items: string[] = [];
  for (let i = 0; i < 10; i += 1) {
    const { item } = await createItem(gateway.url, `CKPT-${i}`, `Item ${i}`, { unitPriceCents: 100 });
    await graphql(
      gateway.url,
      `
        mutation ($id: ID!, $n: Int!) {
          checkInItems(input: { id: $id, count: $n }) {
            revision
          }
        }
      `,
      {
        id: item.id,
        n: Math.ceil(orders / 10) + 1,
      },
    );
    items.push(item.id as string);
  }
  let next = 0;
  const place = async () => {
    while (next < orders) {
      const n = next++;
      const result = await graphql(
        gateway.url,
        `
          mutation ($input: PlaceOrderInput!) {
            placeOrder(input: $input) {
              revision
            }
          }
        `,
        {
          input: {
            customerId: `customer-${n % 100}`,
            lines: [{ itemId: items[n % items.length], quantity: 1 }],
            paymentMethodToken: 'tok_visa',
          },
        },
      );
      if (result.errors) throw new Error(JSON.stringify(result.errors));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, place));
  const placedAt = Date.now();
  for (;;) {
    const unfinished = await graphql(
      gateway.url,
      `
        {
          orders(status: [PLACED, STOCK_RESERVED]) {
            totalCount
          }
        }
      `,
    );
    if (unfinished.data?.orders.totalCount === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  const finishedAt = Date.now();
  await gateway.stop();

  const store = open();
  const all = await store.readAll();
  let readable = 0;
  for (const stream of CHECKPOINT_STREAMS) {
    try {
      readable += (await store.readStream(stream)).length;
    } catch (error) {
      if (!(error instanceof StreamNotFoundError)) throw error;
    }
  }
  await store.close();
  let stored: number;
  if (server) {
    stored = server.data.all.filter((event) => event.type === CHECKPOINT_TYPE).length;
    await server.stop();
  } else {
    const db = new Database(filename, { readonly: true });
    stored = db.prepare('SELECT COUNT(*) FROM events WHERE type = ?').pluck().get(CHECKPOINT_TYPE) as number;
    db.close();
  }
  rmSync(dir, { recursive: true, force: true });
  const report = {
    backend,
    orders,
    eventsInAll: all.length,
    checkpointEvents: { stored, inAll: all.filter((event) => event.type === CHECKPOINT_TYPE).length, readable },
    seconds: { placing: (placedAt - started) / 1000, fulfilling: (finishedAt - placedAt) / 1000 },
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
