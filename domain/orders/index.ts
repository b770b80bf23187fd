import { defineAggregate, type Aggregate } from '../aggregate';
import type { OrderCommand } from './commands';
import { orderDecider } from './decide';
import { orderEventSchemas, type OrderEvent } from './events';
import { orderEventVersioning } from './upcasters';
import type { Order } from './order';
export * from './commands';
export * from './events';
export * from './errors';
export * from './order';
export * from './orderStatus';
export { orderDecider, decideOrder } from './decide';

/** Streams of this aggregate are named `order-<orderId>`. */
export const ORDER_CATEGORY = 'order';
export const orderStreamName = (orderId: string): string => `${ORDER_CATEGORY}-${orderId}`;

/** What the command router needs to decide an order command on its stream. */
export const orderAggregate: Aggregate<Order, OrderCommand, OrderEvent> = defineAggregate(
  ORDER_CATEGORY,
  orderDecider,
  { schemas: orderEventSchemas, versioning: orderEventVersioning },
  (command) => orderStreamName(command.orderId),
);
