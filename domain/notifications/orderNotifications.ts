/**
 * Which order events tell the customer something, and in which words: the pure half of the
 * notification reaction. The order's customer is known only from its OrderPlaced, so the reaction
 * keeps each open order's customer (`OrderCustomers`) as it reads `$all`, and forgets it when the
 * order can produce no further message.
 */
import type { OrderCancelled, OrderConfirmed, OrderPlaced, OrderRejected, OrderShipped } from '../orders';
import type { RequestNotification } from './commands';

/** The order events the reaction reads: those that name the customer, those that end an order, those that produce a message. */
export type OrderNotificationEvent = OrderPlaced | OrderConfirmed | OrderCancelled | OrderShipped | OrderRejected;

const orderNotificationEventTypes: ReadonlySet<string> = new Set<OrderNotificationEvent['type']>([
  'OrderPlaced',
  'OrderConfirmed',
  'OrderCancelled',
  'OrderShipped',
  'OrderRejected',
]);

export function isOrderNotificationEvent(event: { readonly type: string }): event is OrderNotificationEvent {
  return orderNotificationEventTypes.has(event.type);
}

/** Each open order's customer: orderId → customerId. */
export type OrderCustomers = ReadonlyMap<string, string>;

/** Remembers the customer of a placed order; forgets an order no event can produce a message for any more. */
export function evolveOrderCustomers(customers: OrderCustomers, event: OrderNotificationEvent): OrderCustomers {
  const { orderId } = event.data;
  switch (event.type) {
    case 'OrderPlaced':
      return customers.get(orderId) === event.data.customerId ? customers : new Map(customers).set(orderId, event.data.customerId);
    case 'OrderShipped':
    case 'OrderCancelled':
    case 'OrderRejected': {
      if (!customers.has(orderId)) return customers;
      const remaining = new Map(customers);
      remaining.delete(orderId);
      return remaining;
    }
    case 'OrderConfirmed':
      return customers;
  }
}

/**
 * The message an order event asks for, or null. `customers` must be the state before the event
 * (the event may end the order and drop it); `messageId` derives from the event's id, so the same
 * event always asks for the same message.
 */
export function notificationRequestFor(
  event: OrderNotificationEvent,
  customers: OrderCustomers,
  messageId: string,
): RequestNotification | null {
  const { orderId } = event.data;
  const customerId = customers.get(orderId);
  // An order whose OrderPlaced was never read (or was refused) has no known customer: nobody to tell.
  if (customerId === undefined) return null;
  const request = { type: 'RequestNotification', messageId, customerId, orderId } as const;
  switch (event.type) {
    case 'OrderConfirmed':
      return {
        ...request,
        kind: 'orderConfirmed',
        subject: 'Your order is confirmed',
        body: `Thank you for your order ${orderId}. Your payment was received and your order is confirmed; we will let you know when it ships.`,
      };
    case 'OrderCancelled':
      return {
        ...request,
        kind: 'orderCancelled',
        subject: 'Your order was cancelled',
        body:
          `${event.data.cancelledBy === 'customer' ? 'You cancelled' : 'We had to cancel'} your order ${orderId}. ` +
          `Reason: ${event.data.reason}. Any amount charged is refunded.`,
      };
    case 'OrderShipped':
      return {
        ...request,
        kind: 'orderShipped',
        subject: 'Your order is on its way',
        body: `Your order ${orderId} has shipped.`,
      };
    case 'OrderPlaced':
    case 'OrderRejected':
      return null;
  }
}
