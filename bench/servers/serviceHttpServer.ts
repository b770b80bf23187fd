/**
 * The floor under an HTTP mutation: the same InventoryService.checkInItems the gateway's resolver
 * awaits (decide, durable append committed on the writer thread, wait for the inventory projection,
 * read the view back), behind a bare `node:http` server: no GraphQL, no yoga, no plugins, no auth.
 * It takes the gateway's request bodies as they are (`variables.input.id`) and answers the same
 * JSON shape, so one autocannon run measures both the same way; what the gateway takes beyond this
 * server is its GraphQL and HTTP stack, what this server takes beyond the in-process append is the
 * transport and the process hop. Input: { filename, items }; ready: { url, ids } (items it created).
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CommandExecutor } from '../../application/commandExecutor';
import { CommandHandler } from '../../application/commandHandler';
import { IdempotencyKeys } from '../../application/idempotency/idempotencyKeys';
import { InventoryService } from '../../application/inventoryService';
import type { RequestScope } from '../../application/requestScope';
import { SqliteEventStore } from '../../eventStore/embedded/sqliteEventStore';
import { InMemoryDocumentStore } from '../../projections/documentStore';
import { InventoryItemQueries } from '../../projections/inventoryItemView/inventoryItemQueries';
import type { InventoryItemView } from '../../projections/inventoryItemView/inventoryItemView';
import { inventoryItemViewDefinition } from '../../projections/inventoryItemView/inventoryItemView';
import { documentProjection } from '../../projections/projection';
import { ProjectionRunner } from '../../projections/projectionRunner';
import { fail, onStop, sendReady, taskInput } from '../lib/childRuntime';

interface Input {
  readonly filename: string;
  readonly items: number;
}

const scope = (): RequestScope => ({
  actor: { role: 'admin', id: 'bench' },
  correlationId: randomUUID(),
  receivedAt: new Date().toISOString(),
});

async function main(): Promise<void> {
  const input = taskInput<Input>();
  // As the gateway opens its file store: the commit on the writer thread.
  const store = new SqliteEventStore({ filename: input.filename, writerThread: true });
  const views = new InMemoryDocumentStore<InventoryItemView>();
  const runner = new ProjectionRunner(store, [documentProjection(inventoryItemViewDefinition, views)]);
  await runner.start();
  const inventory = new InventoryService(
    new CommandExecutor(new CommandHandler(store), new IdempotencyKeys(store), runner, 5000),
    new InventoryItemQueries(views),
  );
  const ids: string[] = [];
  for (let i = 0; i < input.items; i += 1) {
    const { item } = await inventory.createItem({ sku: `FLOOR-${i}`, name: `HTTP floor ${i}`, unitPriceCents: 100 }, scope());
    ids.push(item.id);
  }

  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { variables: { input: { id: string; count: number } } };
      const { id, count } = body.variables.input;
      inventory.checkInItems({ id, count }, scope()).then(
        ({ revision, item }) => {
          response.setHeader('content-type', 'application/json');
          response.end(
            JSON.stringify({
              data: { checkInItems: { revision, item: { id: item.id, quantityOnHand: item.quantityOnHand, version: item.version } } },
            }),
          );
        },
        (error: unknown) => {
          response.statusCode = 500;
          response.end(String(error));
        },
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onStop(async () => {
    await new Promise((resolve) => server.close(resolve));
    await runner.stop();
    await store.close();
  });
  sendReady({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, ids });
}

main().catch(fail);
