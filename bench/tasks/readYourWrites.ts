/**
 * Read-your-writes in process (no HTTP, no GraphQL), on a file-backed embedded store with
 * synchronous=FULL, wired as the gateway wires it (CommandHandler → CommandExecutor →
 * InventoryService, ProjectionRunner with the inventory projection):
 * - 'ryw': InventoryService.checkInItems — decide, durable append, wait until the projection has
 *   applied it, read the view back (what the mutation resolver awaits);
 * - 'append': CommandHandler.handle with the same command — decide and durable append only;
 * - 'appendOnWriterThread': the same on a second file whose store commits on its writer thread, as
 *   the gateway's file store does (the main thread posts the append and waits for the thread's commit).
 */
import { randomUUID } from 'node:crypto';
import { CommandExecutor } from '../../application/commandExecutor';
import { IdempotencyKeys } from '../../application/idempotency/idempotencyKeys';
import { CommandHandler } from '../../application/commandHandler';
import { InventoryService } from '../../application/inventoryService';
import type { RequestScope } from '../../application/requestScope';
import { inventoryItemAggregate } from '../../domain/inventory';
import { SqliteEventStore } from '../../eventStore/embedded/sqliteEventStore';
import { InMemoryDocumentStore } from '../../projections/documentStore';
import { InventoryItemQueries } from '../../projections/inventoryItemView/inventoryItemQueries';
import type { InventoryItemView } from '../../projections/inventoryItemView/inventoryItemView';
import { inventoryItemViewDefinition } from '../../projections/inventoryItemView/inventoryItemView';
import { documentProjection } from '../../projections/projection';
import { ProjectionRunner } from '../../projections/projectionRunner';
import { fail, finish, taskInput } from '../lib/childRuntime';
import { summarize, type LatencySummary } from '../lib/stats';

export interface RywInput {
  readonly filename: string;
  readonly items: number;
  readonly concurrencies: readonly number[];
  readonly durationS: number;
  readonly warmupS: number;
}

export type RywVariant = 'ryw' | 'append' | 'appendOnWriterThread';

export interface RywRun {
  readonly variant: RywVariant;
  readonly concurrency: number;
  readonly operations: number;
  readonly perSecond: number;
  readonly latencyMs: LatencySummary;
}

const clock = () => Number(process.hrtime.bigint() / 1000n);

async function main(): Promise<void> {
  const input = taskInput<RywInput>();
  const store = new SqliteEventStore({ filename: input.filename });
  const views = new InMemoryDocumentStore<InventoryItemView>();
  const runner = new ProjectionRunner(store, [documentProjection(inventoryItemViewDefinition, views)]);
  await runner.start();
  const commands = new CommandHandler(store);
  const threadStore = new SqliteEventStore({ filename: input.filename.replace(/\.sqlite$/, '-writer-thread.sqlite'), writerThread: true });
  const threadCommands = new CommandHandler(threadStore);
  const inventory = new InventoryService(
    new CommandExecutor(commands, new IdempotencyKeys(store), runner, 5000),
    new InventoryItemQueries(views),
  );
  const scope = (): RequestScope => ({
    actor: { role: 'admin', id: 'bench' },
    correlationId: randomUUID(),
    receivedAt: new Date().toISOString(),
  });

  // Each run gets fresh items: a command re-reads its stream, so longer streams alone would slow a later run.
  let created = 0;
  const metadataOf = (s: RequestScope) => ({
    commandId: randomUUID(),
    correlationId: s.correlationId,
    actor: 'admin:bench',
    occurredAt: s.receivedAt,
  });
  const freshItems = async (on: CommandHandler): Promise<string[]> => {
    const ids: string[] = [];
    for (let i = 0; i < input.items; i += 1) {
      created += 1;
      if (on === commands) {
        const { item } = await inventory.createItem(
          { sku: `RYW-${created}`, name: `Read-your-writes ${created}`, unitPriceCents: 100 },
          scope(),
        );
        ids.push(item.id);
      } else {
        const itemId = randomUUID();
        await on.handle(
          inventoryItemAggregate,
          { type: 'CreateInventoryItem', itemId, sku: `RYW-${created}`, name: `Read-your-writes ${created}`, unitPriceCents: 100 },
          metadataOf(scope()),
        );
        ids.push(itemId);
      }
    }
    return ids;
  };

  const appendWith = (handler: CommandHandler) => (id: string) =>
    handler.handle(inventoryItemAggregate, { type: 'CheckInItemsToInventory', itemId: id, count: 1 }, metadataOf(scope()));
  const operations: Record<RywVariant, (id: string) => Promise<unknown>> = {
    ryw: (id: string) => inventory.checkInItems({ id, count: 1 }, scope()),
    append: appendWith(commands),
    appendOnWriterThread: appendWith(threadCommands),
  };

  let next = 0;
  const load = async (variant: RywVariant, concurrency: number, seconds: number, ids: readonly string[]): Promise<number[]> => {
    const latencies: number[] = [];
    const deadline = performance.now() + seconds * 1000;
    const worker = async () => {
      while (performance.now() < deadline) {
        const id = ids[next++ % ids.length]!;
        const started = performance.now();
        await operations[variant](id);
        latencies.push(performance.now() - started);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    return latencies;
  };

  const runs: RywRun[] = [];
  const from = clock();
  for (const [index, concurrency] of input.concurrencies.entries()) {
    const variants: RywVariant[] = ['append', 'ryw', 'appendOnWriterThread'];
    for (const variant of index % 2 === 0 ? variants : [...variants].reverse()) {
      const ids = await freshItems(variant === 'appendOnWriterThread' ? threadCommands : commands);
      if (input.warmupS > 0) await load(variant, concurrency, input.warmupS, ids);
      const latencies = await load(variant, concurrency, input.durationS, ids);
      runs.push({
        variant,
        concurrency,
        operations: latencies.length,
        perSecond: latencies.length / input.durationS,
        latencyMs: summarize(latencies),
      });
    }
  }
  const to = clock();
  await runner.stop();
  await store.close();
  await threadStore.close();
  finish({ runs, window: [from, to] });
}

main().catch(fail);
