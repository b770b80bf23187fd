import type { OrderEvent } from './events';
import { evolveOrder, initialOrder } from './order';
import { ORDER_STATUS_AFTER, TERMINAL_ORDER_STATUSES } from './orderStatus';

const orderId = 'order-1';
const placed: OrderEvent = {
  type: 'OrderPlaced',
  data: { orderId, customerId: 'customer-1', paymentMethodToken: 'tok_visa', lines: [], totalCents: 0, deliveryAddress: null },
};
const after: readonly OrderEvent[] = [
  { type: 'OrderStockReserved', data: { orderId } },
  { type: 'OrderRejected', data: { orderId, reason: 'out of stock' } },
  { type: 'OrderConfirmed', data: { orderId } },
  { type: 'OrderCancelled', data: { orderId, reason: 'changed my mind', cancelledBy: 'customer' } },
  { type: 'OrderShipped', data: { orderId } },
];

describe('order status after each event', () => {
  it('is the status the aggregate folds to', () => {
    const order = evolveOrder(initialOrder(), placed);
    expect(order.status).toBe(ORDER_STATUS_AFTER.OrderPlaced);
    for (const event of after) expect(evolveOrder(order, event).status).toBe(ORDER_STATUS_AFTER[event.type]);
  });

  it('ends the lifecycle once shipped, rejected or cancelled', () => {
    expect([...TERMINAL_ORDER_STATUSES].sort()).toEqual(['cancelled', 'rejected', 'shipped']);
  });
});
