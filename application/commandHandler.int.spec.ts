import { inventoryItemAggregate, inventoryItemStreamName } from '../domain/inventory';
import { SqliteEventStore } from '../eventStore/embedded/sqliteEventStore';
import { CommandHandler, type CommandMetadata } from './commandHandler';
import { newId } from './ids';

const itemId = 'item-1';
const stream = inventoryItemStreamName(itemId);
const meta = (commandId = newId()): CommandMetadata => ({
  commandId,
  correlationId: 'corr-1',
  actor: 'tester',
  occurredAt: '2026-01-01T00:00:00.000Z',
});
const create = { type: 'CreateInventoryItem', itemId, sku: 'SKU-1', name: 'Thing', unitPriceCents: null } as const;
const checkIn = (count: number) => ({ type: 'CheckInItemsToInventory', itemId, count }) as const;

describe('CommandHandler on the embedded store', () => {
  let store: SqliteEventStore;
  beforeEach(() => {
    store = new SqliteEventStore({ filename: ':memory:' });
  });
  afterEach(() => store.close());

  it('appends the decided events with the command metadata and returns revision and position', async () => {
    const handler = new CommandHandler(store);
    const first = await handler.handle(inventoryItemAggregate, create, meta());
    const second = await handler.handle(inventoryItemAggregate, checkIn(2), meta('cmd-2'));
    expect(first).toMatchObject({ revision: 0, appended: 1, alreadyHandled: false });
    expect(second).toMatchObject({ revision: 1, appended: 1 });
    expect(second.position! > first.position!).toBe(true);
    const events = await store.readStream(stream);
    expect(events[1]).toMatchObject({ type: 'ItemsCheckedIn', metadata: { commandId: 'cmd-2', actor: 'tester' } });
  });

  it('returns the original result for a repeated command id, appending nothing', async () => {
    const handler = new CommandHandler(store);
    await handler.handle(inventoryItemAggregate, create, meta());
    const original = await handler.handle(inventoryItemAggregate, checkIn(2), meta('cmd-x'));
    await handler.handle(inventoryItemAggregate, checkIn(1), meta());
    const retried = await handler.handle(inventoryItemAggregate, checkIn(2), meta('cmd-x'));
    expect(retried).toEqual({ ...original, alreadyHandled: true, appended: 0 });
    expect(await store.readStream(stream)).toHaveLength(3);
  });

  it('honours a client expected version strictly', async () => {
    const handler = new CommandHandler(store);
    await handler.handle(inventoryItemAggregate, create, meta());
    await handler.handle(inventoryItemAggregate, checkIn(1), meta(), { expectedVersion: 0 });
    await expect(handler.handle(inventoryItemAggregate, checkIn(1), meta(), { expectedVersion: 0 })).rejects.toMatchObject({
      code: 'CONFLICT',
      expectedVersion: 0,
      actualVersion: 1,
    });
    expect(await store.readStream(stream)).toHaveLength(2);
  });

  it('retries on a conflict with another writer (a second instance) and loses no update', async () => {
    const instances = [new CommandHandler(store), new CommandHandler(store)];
    await instances[0]!.handle(inventoryItemAggregate, create, meta());
    await Promise.all(Array.from({ length: 20 }, (_, i) => instances[i % 2]!.handle(inventoryItemAggregate, checkIn(1), meta())));
    const events = await store.readStream(stream);
    expect(events).toHaveLength(21);
  });

  it('appends nothing when the decision is empty and nothing when it throws', async () => {
    const handler = new CommandHandler(store);
    await handler.handle(inventoryItemAggregate, create, meta());
    const noop = await handler.handle(inventoryItemAggregate, { type: 'RenameInventoryItem', itemId, name: 'Thing' }, meta());
    expect(noop).toMatchObject({ revision: 0, appended: 0 });
    await expect(
      handler.handle(inventoryItemAggregate, { type: 'RemoveItemsFromInventory', itemId, count: 1 }, meta()),
    ).rejects.toMatchObject({ code: 'INSUFFICIENT_STOCK' });
    expect(await store.readStream(stream)).toHaveLength(1);
  });
});
