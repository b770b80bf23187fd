import type { OrderEvent } from './events';

/**
 * The status each order event moves an order into, stated once: the aggregate folds it, the order
 * view and the dashboard spell it for GraphQL. `as const` keeps each status a literal, so the
 * aggregate's union narrows on it.
 */
export const ORDER_STATUS_AFTER = {
  OrderPlaced: 'placed',
  OrderStockReserved: 'stockReserved',
  OrderRejected: 'rejected',
  OrderConfirmed: 'confirmed',
  OrderCancelled: 'cancelled',
  OrderShipped: 'shipped',
} as const satisfies Readonly<Record<OrderEvent['type'], string>>;

/** A placed order's status: every status an event can move an order into. */
export type PlacedOrderStatus = (typeof ORDER_STATUS_AFTER)[OrderEvent['type']];

/** No event moves an order out of these. */
export const TERMINAL_ORDER_STATUSES: ReadonlySet<PlacedOrderStatus> = new Set<PlacedOrderStatus>(['shipped', 'rejected', 'cancelled']);
