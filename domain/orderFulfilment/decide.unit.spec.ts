import type { OrderLine } from '../orders';
import { decideFulfilment, reactToChargeOutcome, reactToEvent, reactToReservationFailure } from './decide';
import type { Fulfilment, FulfilmentEvent, RecordedFulfilmentEvent } from './fulfilment';
import { evolveFulfilment, initialFulfilment, isFulfilmentEvent } from './fulfilment';

const orderId = 'o1';
const mug: OrderLine = { itemId: 'mug', sku: 'MUG-01', name: 'Mug', quantity: 2, unitPriceCents: 1200 };
const tea: OrderLine = { itemId: 'tea', sku: 'TEA-01', name: 'Tea', quantity: 3, unitPriceCents: 450 };

const recorded = <Event extends FulfilmentEvent>(id: string, event: Event): Event & { readonly id: string } => ({ ...event, id });

const placed = recorded('placed', {
  type: 'OrderPlaced',
  data: { orderId, customerId: 'c1', paymentMethodToken: 'tok_visa', lines: [mug, tea], totalCents: 3750, deliveryAddress: null },
});
const stockReservedFor = (line: OrderLine) =>
  recorded(`reserved-${line.itemId}`, {
    type: 'StockReserved',
    data: { itemId: line.itemId, orderId, quantity: line.quantity },
  });
const releasedFor = (line: OrderLine) =>
  recorded(`released-${line.itemId}`, {
    type: 'StockReservationReleased',
    data: { itemId: line.itemId, orderId, quantity: line.quantity },
  });
const orderStockReserved = recorded('orderStockReserved', { type: 'OrderStockReserved', data: { orderId } });
const paymentRequested = recorded('paymentRequested', {
  type: 'PaymentRequested',
  data: { paymentId: orderId, orderId, customerId: 'c1', amountCents: 3750, paymentMethodToken: 'tok_visa' },
});
const paymentCaptured = recorded('paymentCaptured', {
  type: 'PaymentCaptured',
  data: { paymentId: orderId, orderId, amountCents: 3750, providerReference: 'sim_o1' },
});
const paymentDeclined = recorded('paymentDeclined', {
  type: 'PaymentDeclined',
  data: { paymentId: orderId, orderId, reason: 'card declined' },
});
const orderConfirmed = recorded('orderConfirmed', { type: 'OrderConfirmed', data: { orderId } });
const orderRejected = recorded('orderRejected', { type: 'OrderRejected', data: { orderId, reason: 'TEA-01 is out of stock' } });
const cancelledBy = (by: 'customer' | 'system', reason = by === 'customer' ? 'changed my mind' : 'payment declined') =>
  recorded(`cancelled-by-${by}`, { type: 'OrderCancelled', data: { orderId, reason, cancelledBy: by } });
const orderShipped = recorded('orderShipped', { type: 'OrderShipped', data: { orderId } });

const allReserved = [placed, stockReservedFor(mug), stockReservedFor(tea)];
const awaitingPayment = [...allReserved, orderStockReserved, paymentRequested];
const confirmed = [...awaitingPayment, paymentCaptured, orderConfirmed];

const replay = (events: readonly FulfilmentEvent[]): Fulfilment => events.reduce(evolveFulfilment, initialFulfilment());
/** The commands `event` triggers after `history`. */
const commandsAfter = (history: readonly RecordedFulfilmentEvent[], event: RecordedFulfilmentEvent) =>
  reactToEvent(event, replay(history)).commands;

const releaseCommand = (commandId: string, itemId: string) => ({
  commandId,
  target: 'inventoryItem',
  streamName: `inventoryItem-${itemId}`,
  command: { type: 'ReleaseStockReservation', itemId, orderId },
});

describe('order fulfilment', () => {
  describe('happy path', () => {
    it('reserves stock for every line of a placed order', () => {
      expect(commandsAfter([], placed)).toEqual([
        {
          commandId: 'placed:0',
          target: 'inventoryItem',
          streamName: 'inventoryItem-mug',
          command: { type: 'ReserveStock', itemId: 'mug', orderId, quantity: 2 },
        },
        {
          commandId: 'placed:1',
          target: 'inventoryItem',
          streamName: 'inventoryItem-tea',
          command: { type: 'ReserveStock', itemId: 'tea', orderId, quantity: 3 },
        },
      ]);
    });

    it('waits until every line is reserved', () => {
      expect(commandsAfter([placed], stockReservedFor(mug))).toEqual([]);
    });

    it('marks the order stock reserved once the last line is', () => {
      expect(commandsAfter([placed, stockReservedFor(mug)], stockReservedFor(tea))).toEqual([
        {
          commandId: 'reserved-tea:0',
          target: 'order',
          streamName: 'order-o1',
          command: { type: 'MarkOrderStockReserved', orderId },
        },
      ]);
    });

    it('requests payment of the order total once the order records its stock reserved', () => {
      expect(commandsAfter(allReserved, orderStockReserved)).toEqual([
        {
          commandId: 'orderStockReserved:0',
          target: 'payment',
          streamName: 'payment-o1',
          command: {
            type: 'RequestPayment',
            paymentId: orderId,
            orderId,
            customerId: 'c1',
            amountCents: 3750,
            paymentMethodToken: 'tok_visa',
          },
        },
      ]);
    });

    it('records the provider outcome of the charge', () => {
      expect(reactToChargeOutcome(paymentRequested, { outcome: 'captured', providerReference: 'sim_o1' })).toEqual([
        {
          commandId: 'paymentRequested:0',
          target: 'payment',
          streamName: 'payment-o1',
          command: { type: 'RecordPaymentCaptured', paymentId: orderId, providerReference: 'sim_o1' },
        },
      ]);
      expect(reactToChargeOutcome(paymentRequested, { outcome: 'declined', reason: 'card declined' })).toEqual([
        {
          commandId: 'paymentRequested:0',
          target: 'payment',
          streamName: 'payment-o1',
          command: { type: 'RecordPaymentDeclined', paymentId: orderId, reason: 'card declined' },
        },
      ]);
    });

    it('confirms the order once payment is captured', () => {
      expect(commandsAfter(awaitingPayment, paymentCaptured)).toEqual([
        { commandId: 'paymentCaptured:0', target: 'order', streamName: 'order-o1', command: { type: 'ConfirmOrder', orderId } },
      ]);
    });

    it('has nothing to do on confirmation', () => {
      expect(commandsAfter([...awaitingPayment, paymentCaptured], orderConfirmed)).toEqual([]);
    });
  });

  describe('ship', () => {
    it('ships the reserved stock of every line', () => {
      expect(commandsAfter(confirmed, orderShipped)).toEqual([
        {
          commandId: 'orderShipped:0',
          target: 'inventoryItem',
          streamName: 'inventoryItem-mug',
          command: { type: 'ShipReservedStock', itemId: 'mug', orderId },
        },
        {
          commandId: 'orderShipped:1',
          target: 'inventoryItem',
          streamName: 'inventoryItem-tea',
          command: { type: 'ShipReservedStock', itemId: 'tea', orderId },
        },
      ]);
    });
  });

  describe('out of stock', () => {
    const teaOutOfStock = { failedCommandId: 'placed:1', orderId, itemId: 'tea', code: 'INSUFFICIENT_STOCK' } as const;

    it('releases every line, the partial reservations included, and rejects the order', () => {
      expect(reactToReservationFailure(teaOutOfStock, replay([placed, stockReservedFor(mug)]))).toEqual([
        releaseCommand('placed:1:0', 'mug'),
        releaseCommand('placed:1:1', 'tea'),
        {
          commandId: 'placed:1:2',
          target: 'order',
          streamName: 'order-o1',
          command: { type: 'RejectOrder', orderId, reason: 'TEA-01 is out of stock' },
        },
      ]);
    });

    it('releases every line even when it has not yet seen the reservations that landed', () => {
      expect(reactToReservationFailure(teaOutOfStock, replay([placed])).map((dispatched) => dispatched.command.type)).toEqual([
        'ReleaseStockReservation',
        'ReleaseStockReservation',
        'RejectOrder',
      ]);
    });

    it('names a deactivated or unknown item as not available', () => {
      const [, , reject] = reactToReservationFailure({ ...teaOutOfStock, code: 'ITEM_INACTIVE' }, replay([placed]));
      expect(reject?.command).toEqual({ type: 'RejectOrder', orderId, reason: 'TEA-01 is not available' });
    });

    it('has nothing more to do on rejection once the reservations are released', () => {
      expect(commandsAfter([placed, stockReservedFor(mug), releasedFor(mug)], orderRejected)).toEqual([]);
    });

    it('releases on rejection a reservation still held', () => {
      expect(commandsAfter([placed, stockReservedFor(mug)], orderRejected)).toEqual([releaseCommand('orderRejected:0', 'mug')]);
    });

    it('releases a reservation that lands after the rejection', () => {
      expect(commandsAfter([placed, orderRejected], stockReservedFor(tea))).toEqual([releaseCommand('reserved-tea:0', 'tea')]);
    });

    it('does not reject an order that is no longer waiting for stock', () => {
      expect(reactToReservationFailure(teaOutOfStock, replay([placed, cancelledBy('customer')]))).toEqual([]);
    });
  });

  describe('declined payment', () => {
    it('releases every line and cancels the order on behalf of the system', () => {
      expect(commandsAfter(awaitingPayment, paymentDeclined)).toEqual([
        releaseCommand('paymentDeclined:0', 'mug'),
        releaseCommand('paymentDeclined:1', 'tea'),
        {
          commandId: 'paymentDeclined:2',
          target: 'order',
          streamName: 'order-o1',
          command: { type: 'CancelOrder', orderId, reason: 'payment declined', cancelledBy: 'system' },
        },
      ]);
    });

    it('has nothing more to do when the system cancellation arrives', () => {
      const compensated = [...awaitingPayment, paymentDeclined, releasedFor(mug), releasedFor(tea)];
      expect(commandsAfter(compensated, cancelledBy('system'))).toEqual([]);
    });

    it('does nothing when the customer already cancelled', () => {
      expect(commandsAfter([...awaitingPayment, cancelledBy('customer')], paymentDeclined)).toEqual([]);
    });
  });

  describe('customer cancellation', () => {
    it('after confirmation releases every reservation and refunds the payment', () => {
      expect(commandsAfter(confirmed, cancelledBy('customer'))).toEqual([
        releaseCommand('cancelled-by-customer:0', 'mug'),
        releaseCommand('cancelled-by-customer:1', 'tea'),
        {
          commandId: 'cancelled-by-customer:2',
          target: 'payment',
          streamName: 'payment-o1',
          command: { type: 'RefundPayment', paymentId: orderId, reason: 'order cancelled' },
        },
      ]);
    });

    it('while stock is being reserved releases what is reserved and refunds nothing', () => {
      expect(commandsAfter([placed, stockReservedFor(mug)], cancelledBy('customer'))).toEqual([
        releaseCommand('cancelled-by-customer:0', 'mug'),
      ]);
    });

    it('releases a reservation that lands after the cancellation', () => {
      expect(commandsAfter([placed, cancelledBy('customer')], stockReservedFor(tea))).toEqual([releaseCommand('reserved-tea:0', 'tea')]);
    });

    it('refunds a payment captured after the cancellation instead of confirming', () => {
      expect(commandsAfter([...awaitingPayment, cancelledBy('customer')], paymentCaptured)).toEqual([
        {
          commandId: 'paymentCaptured:0',
          target: 'payment',
          streamName: 'payment-o1',
          command: { type: 'RefundPayment', paymentId: orderId, reason: 'order cancelled' },
        },
      ]);
    });

    it('never marks stock reserved, so never requests payment, once the order is cancelled', () => {
      expect(commandsAfter([placed, stockReservedFor(mug), cancelledBy('customer')], stockReservedFor(tea))).toEqual([
        releaseCommand('reserved-tea:0', 'tea'),
      ]);
    });
  });

  describe('reprocessing', () => {
    it('dispatches the same commands with the same ids when a trigger is processed twice', () => {
      for (const [history, event] of [
        [[], placed],
        [[placed, stockReservedFor(mug)], stockReservedFor(tea)],
        [awaitingPayment, paymentDeclined],
        [confirmed, cancelledBy('customer')],
        [confirmed, orderShipped],
      ] as const) {
        const state = replay(history);
        const first = reactToEvent(event, state);
        expect(reactToEvent(event, state)).toEqual(first);
        expect(first.commands.length).toBeGreaterThan(0);
      }
      const failure = { failedCommandId: 'placed:1', orderId, itemId: 'tea', code: 'INSUFFICIENT_STOCK' } as const;
      expect(reactToReservationFailure(failure, replay([placed]))).toEqual(reactToReservationFailure(failure, replay([placed])));
    });

    it('folds a repeated reservation event without counting it twice', () => {
      const state = replay([placed, stockReservedFor(mug), stockReservedFor(mug)]);
      expect(state.status !== 'notStarted' && state.reservedItemIds).toEqual(['mug']);
    });
  });

  describe('routing', () => {
    it('ignores events of another order', () => {
      const otherOrder = recorded('other', {
        type: 'StockReserved',
        data: { itemId: 'tea', orderId: 'o2', quantity: 3 },
      });
      const state = replay([placed, stockReservedFor(mug)]);
      expect(evolveFulfilment(state, otherOrder)).toBe(state);
      expect(decideFulfilment(state, otherOrder)).toEqual([]);
    });

    it('does nothing before the order is placed', () => {
      expect(reactToEvent(paymentCaptured)).toEqual({ state: initialFulfilment(), commands: [] });
    });

    it('selects the order, stock reservation and payment events', () => {
      const selected = ['OrderPlaced', 'StockReserved', 'ReservedStockShipped', 'PaymentRefunded'];
      expect(selected.every((type) => isFulfilmentEvent({ type }))).toBe(true);
      expect(['InventoryItemCreated', 'ItemsCheckedIn'].some((type) => isFulfilmentEvent({ type }))).toBe(false);
    });
  });
});
