/**
 * The order-fulfilment process manager through its real class, as the gateway runs it: a reaction
 * on a `$all` subscription (a projection runner, here with no projections) with its checkpoint,
 * the one command router and the simulated payment provider, on both backends.
 */
import type { Aggregate } from '../../domain/aggregate';
import { fold, type DomainEvent } from '../../domain/decider';
import { availableQuantity, inventoryItemAggregate, inventoryItemStreamName, type InventoryItemCommand } from '../../domain/inventory';
import { orderAggregate, orderStreamName, type OrderCommand, type OrderLine } from '../../domain/orders';
import { paymentAggregate, paymentStreamName, SIMULATED_DECLINED_TOKEN } from '../../domain/payments';
import { SqliteEventStore } from '../../eventStore/embedded/sqliteEventStore';
import { StreamNotFoundError } from '../../eventStore/errors';
import type { EventStore } from '../../eventStore/port';
import { backends } from '../../test/support/backends';
import { ProjectionRunner } from '../../projections/projectionRunner';
import { EventStoreCheckpointStore } from '../checkpointStore';
import { CommandHandler, type CommandMetadata } from '../commandHandler';
import { newId } from '../ids';
import { ReactionRunner } from '../subscription/reactionRunner';
import { OrderFulfilmentProcessManager } from './orderFulfilmentProcessManager';
import { SimulatedPaymentProvider } from './simulatedPaymentProvider';

const silent = { info: () => {}, warn: () => {}, error: () => {} };
const meta = (): CommandMetadata => ({ commandId: newId(), correlationId: newId(), actor: 'test', occurredAt: '2026-01-01T00:00:00.000Z' });

async function stateOf<State, Command, Event extends DomainEvent<string, unknown>>(
  store: EventStore,
  aggregate: Aggregate<State, Command, Event>,
  streamName: string,
): Promise<State> {
  let stored;
  try {
    stored = await store.readStream(streamName);
  } catch (error) {
    if (error instanceof StreamNotFoundError) return aggregate.decider.initialState();
    throw error;
  }
  const events = stored.map((event) => {
    const checked = aggregate.decider.checkEvent(event);
    if (!checked.valid) throw new Error(checked.reason);
    return checked.event;
  });
  return fold(aggregate.decider, events);
}

async function eventually(condition: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe.each(backends)('order fulfilment process manager, the real class ($name store)', (backend) => {
  let store: EventStore;
  let dispose: () => Promise<void>;
  let commands: CommandHandler;
  let running: Array<{ stop(): Promise<void> }>;
  let mug: OrderLine;
  let tea: OrderLine;

  const startProcessManager = async (checkpointStore: EventStore = store) => {
    const processManager = new OrderFulfilmentProcessManager(
      store,
      commands,
      new SimulatedPaymentProvider(store, { declineAboveCents: null, latencyMs: 0 }),
      { logger: silent },
    );
    const subscription = new ProjectionRunner(store, []);
    const reaction = new ReactionRunner(store, subscription, new EventStoreCheckpointStore(checkpointStore), processManager, {
      logger: silent,
      retryDelayMs: 20,
      checkpointIntervalMs: 10,
    });
    const stop = async () => {
      await reaction.stop();
      await subscription.stop();
    };
    running.push({ stop });
    // Attached before the subscription starts: the reaction folds the one replay.
    await reaction.start();
    await subscription.start();
    return { processManager, reaction, subscription, stop };
  };
  const inventory = (command: InventoryItemCommand) => commands.handle(inventoryItemAggregate, command, meta());
  const order = (command: OrderCommand) => commands.handle(orderAggregate, command, meta());
  const orderState = (orderId: string) => stateOf(store, orderAggregate, orderStreamName(orderId));
  const paymentState = (orderId: string) => stateOf(store, paymentAggregate, paymentStreamName(orderId));
  const stockOf = async (itemId: string) => {
    const item = await stateOf(store, inventoryItemAggregate, inventoryItemStreamName(itemId));
    if (item.status !== 'active') throw new Error(`item ${itemId} is ${item.status}`);
    return { onHand: item.quantityOnHand, available: availableQuantity(item), reservations: item.reservations };
  };
  const statusBecomes = (orderId: string, status: string) =>
    eventually(async () => (await orderState(orderId)).status === status, `order ${orderId} ${status}`);

  beforeEach(async () => {
    ({ store, dispose } = await backend.create());
    commands = new CommandHandler(store);
    running = [];
    mug = { itemId: newId(), sku: 'MUG-01', name: 'Mug', quantity: 2, unitPriceCents: 1200 };
    tea = { itemId: newId(), sku: 'TEA-01', name: 'Tea', quantity: 3, unitPriceCents: 450 };
  });
  afterEach(async () => {
    for (const processManager of running) await processManager.stop();
    await store.close();
    await dispose();
  });

  const stock = async (counts: { mug: number; tea: number }) => {
    for (const [line, count] of [
      [mug, counts.mug],
      [tea, counts.tea],
    ] as const) {
      await inventory({
        type: 'CreateInventoryItem',
        itemId: line.itemId,
        sku: line.sku,
        name: line.name,
        unitPriceCents: line.unitPriceCents,
      });
      if (count > 0) await inventory({ type: 'CheckInItemsToInventory', itemId: line.itemId, count });
    }
  };
  const placeOrder = async (paymentMethodToken = 'tok_visa') => {
    const orderId = newId();
    await order({ type: 'PlaceOrder', orderId, customerId: 'c1', paymentMethodToken, lines: [mug, tea], deliveryAddress: null });
    return orderId;
  };

  it('takes an order from placed to shipped', async () => {
    await stock({ mug: 5, tea: 5 });
    await startProcessManager();
    const orderId = await placeOrder();
    await statusBecomes(orderId, 'confirmed');
    expect(await paymentState(orderId)).toMatchObject({ status: 'captured', amountCents: 3750 });
    await order({ type: 'ShipOrder', orderId });
    await eventually(
      async () => (await stockOf(mug.itemId)).onHand === 3 && (await stockOf(tea.itemId)).onHand === 2,
      'the reserved stock shipped',
    );
    expect(await stockOf(mug.itemId)).toEqual({ onHand: 3, available: 3, reservations: {} });
    expect(await stockOf(tea.itemId)).toEqual({ onHand: 2, available: 2, reservations: {} });
  });

  it('rejects an order it cannot stock and releases what it reserved', async () => {
    await stock({ mug: 5, tea: 1 });
    await startProcessManager();
    const orderId = await placeOrder();
    await statusBecomes(orderId, 'rejected');
    expect(await orderState(orderId)).toMatchObject({ rejectionReason: 'TEA-01 is out of stock' });
    await eventually(async () => (await stockOf(mug.itemId)).available === 5, 'the mug reservation released');
    expect(await stockOf(mug.itemId)).toEqual({ onHand: 5, available: 5, reservations: {} });
    expect((await paymentState(orderId)).status).toBe('notRequested');
  });

  it('cancels an order whose payment is declined and releases its stock', async () => {
    await stock({ mug: 5, tea: 5 });
    await startProcessManager();
    const orderId = await placeOrder(SIMULATED_DECLINED_TOKEN);
    await statusBecomes(orderId, 'cancelled');
    expect(await orderState(orderId)).toMatchObject({ cancelledBy: 'system', cancellationReason: 'payment declined' });
    expect((await paymentState(orderId)).status).toBe('declined');
    await eventually(
      async () => (await stockOf(mug.itemId)).available === 5 && (await stockOf(tea.itemId)).available === 5,
      'the stock released',
    );
  });

  it('refunds and releases stock when the customer cancels a confirmed order', async () => {
    await stock({ mug: 5, tea: 5 });
    await startProcessManager();
    const orderId = await placeOrder();
    await statusBecomes(orderId, 'confirmed');
    await order({ type: 'CancelOrder', orderId, reason: 'changed my mind', cancelledBy: 'customer' });
    await eventually(async () => (await paymentState(orderId)).status === 'refunded', 'the refund');
    await eventually(async () => (await stockOf(tea.itemId)).available === 5, 'the stock released');
    expect(await stockOf(mug.itemId)).toEqual({ onHand: 5, available: 5, reservations: {} });
    expect(await stockOf(tea.itemId)).toEqual({ onHand: 5, available: 5, reservations: {} });
  });

  it('writes nothing new when a second instance acts on the whole history again from no checkpoint', async () => {
    await stock({ mug: 10, tea: 10 });
    const first = await startProcessManager();
    const shipped = await placeOrder();
    const declined = await placeOrder(SIMULATED_DECLINED_TOKEN);
    await statusBecomes(shipped, 'confirmed');
    await order({ type: 'ShipOrder', orderId: shipped });
    await statusBecomes(declined, 'cancelled');
    await eventually(
      async () => (await stockOf(mug.itemId)).onHand === 8 && (await stockOf(mug.itemId)).available === 8,
      'everything acted on',
    );
    await first.stop();
    const recorded = (await store.readAll()).length;

    // A checkpoint store with nothing in it: the second instance acts on every event again.
    const noCheckpoints = new SqliteEventStore({ filename: ':memory:' });
    try {
      const second = await startProcessManager(noCheckpoints);
      await eventually(
        async () => second.reaction.status.lastFolded === second.subscription.checkpoint && second.reaction.status.queued === 0,
        'the second instance caught up',
      );
      expect(second.processManager.status.orders).toBe(2);
      expect(second.reaction.status.foldedEvents).toBe(second.subscription.status.processedEvents);
      expect((await store.readAll()).length).toBe(recorded);
      await second.stop();
    } finally {
      await noCheckpoints.close();
    }
  });
});
