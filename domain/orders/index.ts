export * from './commands';
export * from './events';
export * from './errors';
export * from './order';
export { orderDecider, decideOrder } from './decide';

/** Streams of this aggregate are named `order-<orderId>`. */
export const ORDER_CATEGORY = 'order';
export const orderStreamName = (orderId: string): string => `${ORDER_CATEGORY}-${orderId}`;
