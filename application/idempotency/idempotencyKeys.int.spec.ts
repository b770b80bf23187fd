/**
 * The seams of idempotency keys, on every backend: a crash between the key's claim and the
 * command's append, concurrent different requests racing for one key, and the window.
 */
import { inventoryItemAggregate, inventoryItemStreamName } from '../../domain/inventory';
import type { EventStore } from '../../eventStore/port';
import { backends } from '../../test/support/backends';
import { CommandExecutor } from '../commandExecutor';
import { CommandHandler } from '../commandHandler';
import { IdempotencyKeyReusedError } from '../errors';
import type { RequestScope, WriteOptions } from '../requestScope';
import { IDEMPOTENCY_KEY_WINDOW_MS, IdempotencyKeys, idempotencyKeyStreamName } from './idempotencyKeys';

const HOUR = 60 * 60 * 1000;
const T0 = Date.parse('2026-03-01T10:00:00.000Z');
const scopeAt = (ms: number): RequestScope => ({
  actor: { role: 'admin', id: 'ops' },
  correlationId: 'corr',
  receivedAt: new Date(ms).toISOString(),
});
const alwaysCurrent = { version: Number.MAX_SAFE_INTEGER };
/** A client's input as a service passes it on. */
const clientInput = (input: Record<string, unknown> & WriteOptions): WriteOptions & object => input;

describe.each(backends)('idempotency keys in the event store ($name)', (backend) => {
  let store: EventStore;
  let dispose: () => Promise<void>;
  let reopen: () => Promise<EventStore>;
  beforeEach(async () => {
    ({ store, dispose, reopen } = await backend.create());
  });
  afterEach(async () => {
    await store.close();
    await dispose();
  });

  const executorOn = (eventStore: EventStore) =>
    new CommandExecutor(new CommandHandler(eventStore), new IdempotencyKeys(eventStore), { waitForPosition: async () => true }, 1000);

  function checkIn(executor: CommandExecutor, itemId: string, count: number, idempotencyKey: string, at = T0) {
    const streamName = inventoryItemStreamName(itemId);
    return executor.execute({
      aggregate: inventoryItemAggregate,
      operation: 'checkInItems',
      target: streamName,
      input: clientInput({ id: itemId, count, idempotencyKey }),
      scope: scopeAt(at),
      prepare: () => ({ command: { type: 'CheckInItemsToInventory' as const, itemId, count }, read: () => alwaysCurrent }),
    });
  }

  async function createItem(executor: CommandExecutor, itemId: string) {
    const streamName = inventoryItemStreamName(itemId);
    await executor.execute({
      aggregate: inventoryItemAggregate,
      operation: 'createInventoryItem',
      target: streamName,
      input: clientInput({ sku: itemId }),
      scope: scopeAt(T0),
      prepare: () => ({
        command: { type: 'CreateInventoryItem' as const, itemId, sku: itemId, name: itemId, unitPriceCents: null },
        read: () => alwaysCurrent,
      }),
    });
  }

  const eventsOf = async (itemId: string) => (await store.readStream(inventoryItemStreamName(itemId))).map((event) => event.type);

  it('runs the command on a retry after a crash between the claim and the append, exactly once', async () => {
    await createItem(executorOn(store), 'item-a');
    // The process "dies" after the key's claim is stored and before the command's events are.
    const crashing = new Proxy(store, {
      get(target, property) {
        if (property === 'appendToStream') {
          return (streamName: string, ...rest: [never, never]) =>
            streamName.startsWith('_') ? target.appendToStream(streamName, ...rest) : Promise.reject(new Error('process died'));
        }
        const value: unknown = Reflect.get(target, property, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    await expect(checkIn(executorOn(crashing), 'item-a', 5, 'restock-1')).rejects.toThrow('process died');
    expect((await store.readStream(idempotencyKeyStreamName('admin:ops', 'restock-1'))).map((event) => event.type)).toEqual([
      'IdempotencyKeyClaimed',
    ]);
    expect(await eventsOf('item-a')).toEqual(['InventoryItemCreated']);

    // After the restart, the client retries the same request with the same key.
    await store.close();
    store = await reopen();
    const retried = await checkIn(executorOn(store), 'item-a', 5, 'restock-1');
    expect(retried).toMatchObject({ replayed: false, revision: 1 });
    const again = await checkIn(executorOn(store), 'item-a', 5, 'restock-1');
    expect(again).toMatchObject({ replayed: true, revision: 1 });
    expect(await eventsOf('item-a')).toEqual(['InventoryItemCreated', 'ItemsCheckedIn']);
    // A different request under that key is still refused, and nothing is appended.
    await expect(checkIn(executorOn(store), 'item-a', 4, 'restock-1')).rejects.toBeInstanceOf(IdempotencyKeyReusedError);
    expect(await eventsOf('item-a')).toHaveLength(2);
  });

  it('lets exactly one of two different requests racing for one key through, on two executors', async () => {
    await createItem(executorOn(store), 'item-b');
    await createItem(executorOn(store), 'item-c');
    const results = await Promise.allSettled([
      checkIn(executorOn(store), 'item-b', 1, 'race'),
      checkIn(executorOn(store), 'item-c', 2, 'race'),
    ]);
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    const refused = results.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
    expect(refused).toHaveLength(1);
    expect(refused[0]!.reason).toBeInstanceOf(IdempotencyKeyReusedError);
    expect((await eventsOf('item-b')).length + (await eventsOf('item-c')).length).toBe(3);
  });

  it('leaves no claim behind for a request the domain refuses', async () => {
    await createItem(executorOn(store), 'item-d');
    const executor = executorOn(store);
    const streamName = inventoryItemStreamName('item-d');
    const remove = (count: number) =>
      executor.execute({
        aggregate: inventoryItemAggregate,
        operation: 'removeItems',
        target: streamName,
        input: clientInput({ id: 'item-d', count, idempotencyKey: 'remove-1' }),
        scope: scopeAt(T0),
        prepare: () => ({ command: { type: 'RemoveItemsFromInventory' as const, itemId: 'item-d', count }, read: () => alwaysCurrent }),
      });
    await expect(remove(3)).rejects.toMatchObject({ code: 'INSUFFICIENT_STOCK' });
    await expect(store.readStream(idempotencyKeyStreamName('admin:ops', 'remove-1'))).rejects.toMatchObject({ code: 'STREAM_NOT_FOUND' });
    // So the key is still free for another request.
    await expect(checkIn(executor, 'item-d', 3, 'remove-1')).resolves.toMatchObject({ replayed: false });
  });

  it('binds a key for the window and frees it after', async () => {
    await createItem(executorOn(store), 'item-e');
    const executor = executorOn(store);
    await checkIn(executor, 'item-e', 9, 'weekly', T0);
    const nearlyADay = T0 + IDEMPOTENCY_KEY_WINDOW_MS - HOUR;
    await expect(checkIn(executor, 'item-e', 4, 'weekly', nearlyADay)).rejects.toBeInstanceOf(IdempotencyKeyReusedError);
    expect(await checkIn(executor, 'item-e', 9, 'weekly', nearlyADay)).toMatchObject({ replayed: true, revision: 1 });

    const nextDay = T0 + IDEMPOTENCY_KEY_WINDOW_MS + HOUR;
    expect(await checkIn(executor, 'item-e', 4, 'weekly', nextDay)).toMatchObject({ replayed: false, revision: 2 });
    // The new claim binds the key again, from its own time.
    await expect(checkIn(executor, 'item-e', 9, 'weekly', nextDay)).rejects.toBeInstanceOf(IdempotencyKeyReusedError);
    expect(await checkIn(executor, 'item-e', 4, 'weekly', nextDay + HOUR)).toMatchObject({ replayed: true, revision: 2 });
    expect(await eventsOf('item-e')).toHaveLength(3);
  });
});
