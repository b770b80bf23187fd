/**
 * Issue 12, item 3: one `$all` subscription feeds the projections, the process reactions and every
 * client's `events` feed, so a start replays history once. The real app (gatewayApp.ts) on both
 * backends, its store wrapped to count what is read from `$all`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommandHandler, type CommandMetadata } from '../application/commandHandler';
import { newId } from '../application/ids';
import { inventoryItemAggregate } from '../domain/inventory';
import { orderAggregate } from '../domain/orders';
import type { EventStore, RecordedEvent } from '../eventStore/port';
import { backends } from '../test/support/backends';
import { TEST_JWT_SECRET } from '../test/support/gatewayHarness';
import { loadConfig } from './config';
import { createGatewayApp, type GatewayApp } from './gatewayApp';

/** The store, counting the subscriptions to `$all` and every event read from `$all` (by subscription or readAll). */
function countingAllReads(store: EventStore) {
  const counts = { subscriptions: 0, eventsRead: 0 };
  const counted: EventStore = new Proxy(store, {
    get(target, property) {
      if (property === 'subscribeToAll') {
        return (options: Parameters<EventStore['subscribeToAll']>[0]) => {
          counts.subscriptions += 1;
          const messages = target.subscribeToAll(options);
          return (async function* () {
            for await (const message of messages) {
              if (message.kind === 'event') counts.eventsRead += 1;
              yield message;
            }
          })();
        };
      }
      if (property === 'readAll') {
        return async (options: Parameters<EventStore['readAll']>[0]) => {
          const events = await target.readAll(options);
          // A head lookup (one event, backwards) reads no history.
          if (options?.direction !== 'backwards') counts.eventsRead += events.length;
          return events;
        };
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { store: counted, counts };
}

async function eventually<Value>(probe: () => Promise<Value | undefined> | Value | undefined, what: string): Promise<Value> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const meta = (): CommandMetadata => ({ commandId: newId(), correlationId: newId(), actor: 'test', occurredAt: '2026-01-01T00:00:00.000Z' });

describe.each(backends)('one $all subscription for projections, reactions and event feeds ($name store)', (backend) => {
  let dir: string;
  let dispose: () => Promise<void>;
  let app: GatewayApp | null = null;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'eventshop-single-subscription-'));
  });
  afterEach(async () => {
    if (app) {
      app.endSubscriptions();
      await app.dispose();
      app = null;
    }
    await dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('replays history once at start, acts on it, and serves every client feed from the same subscription', async () => {
    const created = await backend.create();
    dispose = created.dispose;
    // History written before the gateway starts: an item in stock and two orders its process manager has not acted on.
    const commands = new CommandHandler(created.store);
    const itemId = newId();
    await commands.handle(
      inventoryItemAggregate,
      { type: 'CreateInventoryItem', itemId, sku: 'MUG-01', name: 'Mug', unitPriceCents: 1200 },
      meta(),
    );
    await commands.handle(inventoryItemAggregate, { type: 'CheckInItemsToInventory', itemId, count: 10 }, meta());
    const orderIds = [newId(), newId()];
    for (const orderId of orderIds) {
      await commands.handle(
        orderAggregate,
        {
          type: 'PlaceOrder',
          orderId,
          customerId: 'c1',
          paymentMethodToken: 'tok_visa',
          lines: [{ itemId, sku: 'MUG-01', name: 'Mug', quantity: 1, unitPriceCents: 1200 }],
          deliveryAddress: null,
        },
        meta(),
      );
    }
    const history = (await created.store.readAll()).length;

    const { store, counts } = countingAllReads(created.store);
    const config = loadConfig({
      LOG_LEVEL: 'silent',
      SEED_DEMO_DATA: 'false',
      JWT_SECRET: TEST_JWT_SECRET,
      DATA_DIR: dir,
      PAYMENT_LATENCY_MS: '0',
      PROCESS_MANAGER_LEASE_MS: '1000',
    });
    app = await createGatewayApp(config, store);
    await app.reactions.start();
    await app.readSide.runner.start();
    const admin = { role: 'admin', id: 'test' } as const;
    const { reads } = app.shared;
    await eventually(
      () => (orderIds.every((id) => reads.orders.byIds([id], admin)[0]?.status === 'CONFIRMED') ? true : undefined),
      'both orders confirmed by the process manager',
    );
    // The notifications reaction sends a confirmation for each: its events are the last the reactions append.
    await eventually(
      () =>
        reads.notifications.ofCustomer('c1', { first: 10 }, admin).edges.filter((edge) => edge.node.status === 'SENT').length === 2
          ? true
          : undefined,
      'both confirmations sent by the notifications reaction',
    );
    const afterFulfilment = (await created.store.readAll()).length;
    expect(afterFulfilment).toBeGreaterThan(history);
    // One subscription; every event read from $all once: the history at start, then each new event live.
    expect(counts.subscriptions).toBe(1);
    expect(counts.eventsRead).toBe(afterFulfilment);

    // Three clients of the events feed, once the subscription has published the last event: from now
    // on, from the first event, and from the last one.
    const [first] = await created.store.readAll({ maxCount: 1 });
    const runner = app.readSide.runner;
    const last = await eventually(async () => {
      const [head] = await created.store.readAll({ direction: 'backwards', maxCount: 1 });
      return head && runner.eventsPublishedUpTo === head.position ? head : undefined;
    }, 'the subscription at the head');
    const feeds = await Promise.all([
      reads.history.feed(null, {}),
      reads.history.feed(first!.position.toString(), {}),
      reads.history.feed(last!.position.toString(), {}),
    ]);
    const iterators = feeds.map((feed) => feed[Symbol.asyncIterator]());
    const received: RecordedEvent[][] = iterators.map(() => []);
    const reading = iterators.map(async (iterator, index) => {
      for (;;) {
        const result = await iterator.next();
        if (result.done) return;
        received[index]!.push(result.value);
      }
    });
    const readsBeforeFeeds = counts.eventsRead;
    await commands.handle(inventoryItemAggregate, { type: 'CheckInItemsToInventory', itemId, count: 5 }, meta());
    const all = await created.store.readAll();
    const newest = all[all.length - 1]!;
    await eventually(() => (received.every((events) => events.some((event) => event.id === newest.id)) ? true : undefined), 'every feed');

    expect(counts.subscriptions).toBe(1);
    const ids = all.map((event) => event.id);
    // From a cursor: everything after it, in order, once. "From now on": the events after the head it
    // saw (the new one at least), in order, once.
    expect(received[1]!.map((event) => event.id)).toEqual(ids.slice(1));
    expect(received[2]!.map((event) => event.id)).toEqual([newest.id]);
    expect(received[0]!.length).toBeGreaterThanOrEqual(1);
    expect(received[0]!.map((event) => event.id)).toEqual(ids.slice(ids.length - received[0]!.length));
    // Only the feed with an old cursor read the store, for what it had missed (its batches overlap the
    // live feed by an event or two where they meet): not one replay per client.
    expect(counts.eventsRead - readsBeforeFeeds).toBeLessThan(2 * all.length);
    await Promise.all(iterators.map((iterator) => iterator.return?.()));
    await Promise.all(reading);
  });
});
