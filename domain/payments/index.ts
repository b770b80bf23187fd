export * from './commands';
export * from './events';
export * from './errors';
export * from './payment';
export * from './paymentProvider';
export * from './simulatedPaymentDecision';
export { paymentDecider, decidePayment } from './decide';

/** Streams of this aggregate are named `payment-<paymentId>`; the payment id is the order id. */
export const PAYMENT_CATEGORY = 'payment';
export const paymentStreamName = (paymentId: string): string => `${PAYMENT_CATEGORY}-${paymentId}`;
