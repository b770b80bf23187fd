import { eventVersioning } from '../eventVersioning';
import type { OrderEvent } from './events';

/** Current version of each order event type, and how older stored shapes become current. */
export const orderEventVersioning = eventVersioning(
  {
    OrderPlaced: 2,
    OrderStockReserved: 1,
    OrderRejected: 1,
    OrderConfirmed: 1,
    OrderCancelled: 1,
    OrderShipped: 1,
  } satisfies Record<OrderEvent['type'], number>,
  [
    // Version 2 records where the order goes. Nobody was asked before: null, "collect / not given".
    {
      type: 'OrderPlaced',
      fromVersion: 1,
      upcast: (data) => ({ type: 'OrderPlaced', version: 2, data: { ...data, deliveryAddress: null } }),
    },
  ],
);
