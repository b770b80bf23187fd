/**
 * TEST INFRASTRUCTURE. Rough throughput of the EventStoreDB adapter against the protocol test
 * server running in its own process. Figures describe the test setup, not a real EventStoreDB.
 *
 *   node -r ./test/support/esdbTestServer/registerTypeScript.js test/support/esdbTestServer/measure.ts
 */
import { randomUUID } from 'node:crypto';
import { createEsdbEventStore } from '../../../eventStore/esdb/esdbEventStore';
import type { EventToAppend } from '../../../eventStore/port';
import { spawnEsdbTestServerProcess } from './childProcess';

const anEvent = (index: number): EventToAppend => ({
  id: randomUUID(),
  type: 'Measured',
  data: { index, text: 'some payload of a realistic size for a small domain event' },
  metadata: { commandId: randomUUID(), actor: 'measure', occurredAt: new Date().toISOString() },
});

async function timed<T>(label: string, count: number, work: () => Promise<T>): Promise<T> {
  const started = process.hrtime.bigint();
  const result = await work();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  console.log(`${label}: ${count} in ${seconds.toFixed(2)} s = ${Math.round(count / seconds)}/s`);
  return result;
}

async function main(): Promise<void> {
  for (const advertiseBatchAppend of [true, false]) {
    const path = advertiseBatchAppend ? 'BatchAppend' : 'Append';
    const server = await spawnEsdbTestServerProcess({ advertiseBatchAppend });
    const store = createEsdbEventStore(server.connectionString);
    try {
      await store.appendToStream(`warmup-${randomUUID()}`, [anEvent(0)], { expectedRevision: 'any' });

      const sequential = 2_000;
      const stream = `measure-${randomUUID()}`;
      await timed(`[${path}] sequential single-event appends`, sequential, async () => {
        for (let i = 0; i < sequential; i += 1) {
          await store.appendToStream(stream, [anEvent(i)], { expectedRevision: i === 0 ? 'no_stream' : i - 1 });
        }
      });

      const writers = 100;
      const perWriter = 30;
      await timed(`[${path}] ${writers} concurrent appenders`, writers * perWriter, () =>
        Promise.all(
          Array.from({ length: writers }, async () => {
            const own = `measureConcurrent-${randomUUID()}`;
            for (let i = 0; i < perWriter; i += 1) {
              await store.appendToStream(own, [anEvent(i)], { expectedRevision: i === 0 ? 'no_stream' : i - 1 });
            }
          }),
        ),
      );

      if (advertiseBatchAppend) {
        const bulk = `measureBulk-${randomUUID()}`;
        for (let written = 0; written < 20_000; written += 500) {
          await store.appendToStream(
            bulk,
            Array.from({ length: 500 }, (_, i) => anEvent(written + i)),
            {
              expectedRevision: written === 0 ? 'no_stream' : written - 1,
            },
          );
        }
        const total = (await store.readAll()).length;
        await timed('readAll (whole $all)', total, () => store.readAll());
        await timed('subscribeToAll catch-up to caught-up', total, async () => {
          const controller = new AbortController();
          let events = 0;
          for await (const message of store.subscribeToAll({ signal: controller.signal })) {
            if (message.kind === 'caughtUp') break;
            events += 1;
          }
          if (events !== total) throw new Error(`caught up after ${events} events, expected ${total}`);
        });
      }
    } finally {
      await store.close();
      await server.kill('SIGTERM');
    }
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
