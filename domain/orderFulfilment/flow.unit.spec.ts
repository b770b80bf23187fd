/**
 * The whole shop flow on the real deciders, with an in-memory store standing in for the event store
 * and a loop standing in for the process manager's catch-up subscription.
 */
import type { Decider } from '../decider';
import { assertNever, fold } from '../decider';
import { DomainError } from '../errors';
import type { InventoryItemCommand } from '../inventory';
import { availableQuantity, inventoryItemDecider, inventoryItemStreamName } from '../inventory';
import type { OrderCommand, OrderLine } from '../orders';
import { orderDecider, orderStreamName } from '../orders';
import type { PaymentCommand } from '../payments';
import { paymentDecider, paymentStreamName, simulatedPaymentDecision } from '../payments';
import { isReservationFailureCode, reactToChargeOutcome, reactToEvent, reactToReservationFailure } from './decide';
import type { Fulfilment } from './fulfilment';
import { fulfilmentOrderId, isFulfilmentEvent } from './fulfilment';
import type { FulfilmentCommand } from './fulfilmentCommand';

interface StoredEvent {
  readonly id: string;
  readonly streamName: string;
  readonly type: string;
  readonly data: unknown;
}

class InMemoryShop {
  readonly log: StoredEvent[] = [];
  private readonly handledCommandIds = new Set<string>();

  private handle<State, Command, Event extends { type: string; data: unknown }>(
    decider: Decider<State, Command, Event>,
    streamName: string,
    command: Command,
    commandId: string,
  ): void {
    // Stands in for the idempotent append of event ids derived from the command id.
    if (this.handledCommandIds.has(commandId)) return;
    const events = decider.decide(command, fold(decider, this.streamEvents<Event>(streamName)));
    events.forEach((event, index) => this.log.push({ id: `${commandId}/${index}`, streamName, ...event }));
    this.handledCommandIds.add(commandId);
  }

  streamEvents<Event>(streamName: string): Event[] {
    return this.log.filter((event) => event.streamName === streamName) as unknown as Event[];
  }

  inventory = (command: InventoryItemCommand, commandId: string) =>
    this.handle(inventoryItemDecider, inventoryItemStreamName(command.itemId), command, commandId);
  order = (command: OrderCommand, commandId: string) =>
    this.handle(orderDecider, orderStreamName(command.orderId), command, commandId);
  payment = (command: PaymentCommand, commandId: string) =>
    this.handle(paymentDecider, paymentStreamName(command.paymentId), command, commandId);

  dispatch(dispatched: FulfilmentCommand): void {
    switch (dispatched.target) {
      case 'inventoryItem':
        return this.inventory(dispatched.command, dispatched.commandId);
      case 'order':
        return this.order(dispatched.command, dispatched.commandId);
      case 'payment':
        return this.payment(dispatched.command, dispatched.commandId);
      default:
        return assertNever(dispatched);
    }
  }

  itemState = (itemId: string) => fold(inventoryItemDecider, this.streamEvents(inventoryItemStreamName(itemId)));
  orderState = (orderId: string) => fold(orderDecider, this.streamEvents(orderStreamName(orderId)));
  paymentState = (orderId: string) => fold(paymentDecider, this.streamEvents(paymentStreamName(orderId)));
}

class ProcessManager {
  private checkpoint = 0;
  private readonly states = new Map<string, Fulfilment>();

  constructor(
    private readonly shop: InMemoryShop,
    private readonly declineAboveCents: number | null = null,
  ) {}

  catchUp(): void {
    while (this.checkpoint < this.shop.log.length) {
      const event = this.shop.log[this.checkpoint++];
      if (event === undefined || !isFulfilmentEvent(event)) continue;
      const orderId = fulfilmentOrderId(event);
      const { state, commands } = reactToEvent(event, this.states.get(orderId));
      this.states.set(orderId, state);
      for (const command of commands) this.dispatch(command, state);
      if (event.type === 'PaymentRequested') {
        // Stands in for the payment adapter, which charges the provider outside the domain.
        const outcome = simulatedPaymentDecision(event.data, { declineAboveCents: this.declineAboveCents });
        for (const command of reactToChargeOutcome(event, outcome)) this.dispatch(command, state);
      }
    }
  }

  private dispatch(dispatched: FulfilmentCommand, state: Fulfilment): void {
    try {
      this.shop.dispatch(dispatched);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      if (dispatched.command.type === 'ReserveStock' && isReservationFailureCode(error.code)) {
        const { itemId, orderId } = dispatched.command;
        const failure = { failedCommandId: dispatched.commandId, orderId, itemId, code: error.code };
        for (const compensation of reactToReservationFailure(failure, state)) this.dispatch(compensation, state);
      }
      // Any other refusal is final: the event that caused it brings its own compensation.
    }
  }
}

const mug: OrderLine = { itemId: 'mug', sku: 'MUG-01', name: 'Mug', quantity: 2, unitPriceCents: 1200 };
const tea: OrderLine = { itemId: 'tea', sku: 'TEA-01', name: 'Tea', quantity: 3, unitPriceCents: 450 };

function shopWithStock(stock: Readonly<Record<string, number>>): InMemoryShop {
  const shop = new InMemoryShop();
  for (const line of [mug, tea]) {
    shop.inventory(
      { type: 'CreateInventoryItem', itemId: line.itemId, sku: line.sku, name: line.name, unitPriceCents: line.unitPriceCents },
      `create-${line.itemId}`,
    );
    const count = stock[line.itemId] ?? 0;
    shop.inventory({ type: 'CheckInItemsToInventory', itemId: line.itemId, count }, `stock-${line.itemId}`);
  }
  return shop;
}

const placeOrder = (shop: InMemoryShop, paymentMethodToken = 'tok_visa') =>
  shop.order({ type: 'PlaceOrder', orderId: 'o1', customerId: 'c1', paymentMethodToken, lines: [mug, tea], deliveryAddress: null }, 'place-o1');

function stockOf(shop: InMemoryShop, itemId: string) {
  const item = shop.itemState(itemId);
  if (item.status !== 'active') throw new Error(`item ${itemId} is ${item.status}`);
  return { onHand: item.quantityOnHand, available: availableQuantity(item), reservations: item.reservations };
}

const orderEventTypes = (shop: InMemoryShop) => shop.streamEvents<{ type: string }>('order-o1').map((event) => event.type);

describe('order fulfilment flow', () => {
  it('takes an order from placed to shipped', () => {
    const shop = shopWithStock({ mug: 5, tea: 5 });
    const processManager = new ProcessManager(shop);
    placeOrder(shop);
    processManager.catchUp();
    expect(orderEventTypes(shop)).toEqual(['OrderPlaced', 'OrderStockReserved', 'OrderConfirmed']);
    expect(shop.paymentState('o1')).toMatchObject({ status: 'captured', amountCents: 3750, providerReference: 'sim_o1' });

    shop.order({ type: 'ShipOrder', orderId: 'o1' }, 'ship-o1');
    processManager.catchUp();
    expect(shop.orderState('o1').status).toBe('shipped');
    expect(stockOf(shop, 'mug')).toEqual({ onHand: 3, available: 3, reservations: {} });
    expect(stockOf(shop, 'tea')).toEqual({ onHand: 2, available: 2, reservations: {} });
  });

  it('rejects an order it cannot stock and releases what it reserved', () => {
    const shop = shopWithStock({ mug: 5, tea: 1 });
    placeOrder(shop);
    new ProcessManager(shop).catchUp();
    expect(shop.orderState('o1')).toMatchObject({ status: 'rejected', rejectionReason: 'TEA-01 is out of stock' });
    expect(stockOf(shop, 'mug')).toEqual({ onHand: 5, available: 5, reservations: {} });
    expect(shop.paymentState('o1').status).toBe('notRequested');
  });

  it('cancels an order whose payment is declined and releases its stock', () => {
    const shop = shopWithStock({ mug: 5, tea: 5 });
    placeOrder(shop, 'tok_declined');
    new ProcessManager(shop).catchUp();
    expect(shop.orderState('o1')).toMatchObject({
      status: 'cancelled',
      cancelledBy: 'system',
      cancellationReason: 'payment declined',
    });
    expect(shop.paymentState('o1').status).toBe('declined');
    expect(stockOf(shop, 'mug').available).toBe(5);
    expect(stockOf(shop, 'tea').available).toBe(5);
  });

  it('refunds and releases stock when the customer cancels a confirmed order', () => {
    const shop = shopWithStock({ mug: 5, tea: 5 });
    const processManager = new ProcessManager(shop);
    placeOrder(shop);
    processManager.catchUp();
    shop.order({ type: 'CancelOrder', orderId: 'o1', reason: 'changed my mind', cancelledBy: 'customer' }, 'cancel-o1');
    processManager.catchUp();
    expect(shop.orderState('o1').status).toBe('cancelled');
    expect(shop.paymentState('o1').status).toBe('refunded');
    expect(stockOf(shop, 'mug')).toEqual({ onHand: 5, available: 5, reservations: {} });
    expect(stockOf(shop, 'tea')).toEqual({ onHand: 5, available: 5, reservations: {} });
  });

  it.each([
    ['shipped', { mug: 5, tea: 5 }, 'tok_visa'],
    ['rejected', { mug: 5, tea: 1 }, 'tok_visa'],
    ['declined', { mug: 5, tea: 5 }, 'tok_declined'],
  ])('writes nothing new when a %s order is processed again from the start', (outcome, stock, token) => {
    const shop = shopWithStock(stock);
    placeOrder(shop, token);
    new ProcessManager(shop).catchUp();
    if (shop.orderState('o1').status === 'confirmed') shop.order({ type: 'ShipOrder', orderId: 'o1' }, 'ship-o1');
    new ProcessManager(shop).catchUp();
    expect(shop.orderState('o1').status).toBe(outcome === 'declined' ? 'cancelled' : outcome);
    const recorded = shop.log.length;
    new ProcessManager(shop).catchUp();
    expect(shop.log).toHaveLength(recorded);
  });
});
