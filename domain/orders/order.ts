import { assertNever } from '../decider';
import type { OrderCanceller } from './commands';
import type { OrderEvent, OrderLine, OrderPlaced } from './events';
import { ORDER_STATUS_AFTER } from './orderStatus';

export const ORDER_LINES_MAX = 100;
export const ORDER_LINE_QUANTITY_MAX = 1000;
/** Ids and payment-method tokens. */
export const ORDER_REFERENCE_MAX_LENGTH = 200;
export const ORDER_REASON_MAX_LENGTH = 500;
/** Each field of a delivery address. */
export const ADDRESS_FIELD_MAX_LENGTH = 200;

/** What every placed order holds: what it was placed with. */
type PlacedOrder = OrderPlaced['data'];

/**
 * placed → stockReserved → confirmed → shipped, or
 * placed → rejected (no stock), or
 * placed | stockReserved | confirmed → cancelled.
 */
export type Order =
  | { readonly status: 'notPlaced' }
  | ({ readonly status: 'placed' } & PlacedOrder)
  | ({ readonly status: 'stockReserved' } & PlacedOrder)
  | ({ readonly status: 'confirmed' } & PlacedOrder)
  | ({ readonly status: 'shipped' } & PlacedOrder)
  | ({ readonly status: 'rejected'; readonly rejectionReason: string } & PlacedOrder)
  | ({ readonly status: 'cancelled'; readonly cancellationReason: string; readonly cancelledBy: OrderCanceller } & PlacedOrder);

export type OrderStatus = Order['status'];

export const initialOrder = (): Order => ({ status: 'notPlaced' });

export function orderTotalCents(lines: readonly Pick<OrderLine, 'quantity' | 'unitPriceCents'>[]): number {
  let total = 0;
  for (const line of lines) total += line.quantity * line.unitPriceCents;
  return total;
}

function placedOrder(order: PlacedOrder): PlacedOrder {
  const { orderId, customerId, paymentMethodToken, lines, totalCents, deliveryAddress } = order;
  return { orderId, customerId, paymentMethodToken, lines, totalCents, deliveryAddress };
}

export function evolveOrder(state: Order, event: OrderEvent): Order {
  if (event.type === 'OrderPlaced') return { status: ORDER_STATUS_AFTER[event.type], ...event.data };
  if (state.status === 'notPlaced') return state;
  switch (event.type) {
    case 'OrderStockReserved':
    case 'OrderConfirmed':
    case 'OrderShipped':
      return { status: ORDER_STATUS_AFTER[event.type], ...placedOrder(state) };
    case 'OrderRejected':
      return { status: ORDER_STATUS_AFTER[event.type], rejectionReason: event.data.reason, ...placedOrder(state) };
    case 'OrderCancelled':
      return {
        status: ORDER_STATUS_AFTER[event.type],
        cancellationReason: event.data.reason,
        cancelledBy: event.data.cancelledBy,
        ...placedOrder(state),
      };
    default:
      return assertNever(event);
  }
}
