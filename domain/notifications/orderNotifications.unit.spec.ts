import type { OrderCancelled, OrderConfirmed, OrderPlaced, OrderRejected, OrderShipped } from '../orders';
import { notificationDecider } from './decide';
import type { OrderCustomers } from './orderNotifications';
import { evolveOrderCustomers, isOrderNotificationEvent, notificationRequestFor } from './orderNotifications';

const orderId = 'order-1';
const placed: OrderPlaced = {
  type: 'OrderPlaced',
  data: {
    orderId,
    customerId: 'customer-1',
    paymentMethodToken: 'tok_visa',
    lines: [{ itemId: 'item-1', sku: 'SKU-1', name: 'Mug', quantity: 1, unitPriceCents: 500 }],
    totalCents: 500,
    deliveryAddress: null,
  },
};
const confirmed: OrderConfirmed = { type: 'OrderConfirmed', data: { orderId } };
const shipped: OrderShipped = { type: 'OrderShipped', data: { orderId } };
const rejected: OrderRejected = { type: 'OrderRejected', data: { orderId, reason: 'SKU-1 is out of stock' } };
const cancelledBySystem: OrderCancelled = { type: 'OrderCancelled', data: { orderId, reason: 'payment declined', cancelledBy: 'system' } };
const cancelledByCustomer: OrderCancelled = {
  type: 'OrderCancelled',
  data: { orderId, reason: 'changed my mind', cancelledBy: 'customer' },
};

const known: OrderCustomers = evolveOrderCustomers(new Map(), placed);

describe('order notifications', () => {
  it('remembers the customer of a placed order and forgets an ended one', () => {
    expect(known.get(orderId)).toBe('customer-1');
    expect(evolveOrderCustomers(known, confirmed)).toBe(known);
    for (const ending of [shipped, rejected, cancelledBySystem]) expect(evolveOrderCustomers(known, ending).has(orderId)).toBe(false);
  });

  it('does not change the state for an OrderPlaced it has already seen', () => {
    expect(evolveOrderCustomers(known, placed)).toBe(known);
  });

  it('tells the customer the order is confirmed', () => {
    expect(notificationRequestFor(confirmed, known, 'message-1')).toEqual({
      type: 'RequestNotification',
      messageId: 'message-1',
      customerId: 'customer-1',
      orderId,
      kind: 'orderConfirmed',
      subject: 'Your order is confirmed',
      body: expect.stringContaining(orderId),
    });
  });

  it('tells the customer why the order was cancelled, and by whom', () => {
    const bySystem = notificationRequestFor(cancelledBySystem, known, 'message-2');
    expect(bySystem).toMatchObject({ kind: 'orderCancelled', customerId: 'customer-1' });
    expect(bySystem?.body).toContain('Reason: payment declined.');
    expect(bySystem?.body).toMatch(/^We had to cancel/);
    expect(notificationRequestFor(cancelledByCustomer, known, 'message-3')?.body).toMatch(/^You cancelled.*changed my mind/);
  });

  it('tells the customer the order has shipped', () => {
    expect(notificationRequestFor(shipped, known, 'message-4')).toMatchObject({
      kind: 'orderShipped',
      subject: 'Your order is on its way',
    });
  });

  it('asks for no message when an order is placed or rejected', () => {
    expect(notificationRequestFor(placed, known, 'message-5')).toBeNull();
    expect(notificationRequestFor(rejected, known, 'message-6')).toBeNull();
  });

  it('asks for no message for an order whose customer it never learned', () => {
    expect(notificationRequestFor(confirmed, new Map(), 'message-7')).toBeNull();
  });

  it('asks only for messages the notification decider accepts', () => {
    for (const event of [confirmed, cancelledBySystem, cancelledByCustomer, shipped]) {
      const request = notificationRequestFor(event, known, 'message-8')!;
      expect(notificationDecider.decide(request, notificationDecider.initialState())).toHaveLength(1);
    }
  });

  it('reads only the order events it needs', () => {
    expect(isOrderNotificationEvent({ type: 'OrderConfirmed' })).toBe(true);
    expect(isOrderNotificationEvent({ type: 'OrderStockReserved' })).toBe(false);
    expect(isOrderNotificationEvent({ type: 'PaymentCaptured' })).toBe(false);
  });
});
