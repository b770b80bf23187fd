import { defineAggregate, type Aggregate } from '../aggregate';
import type { PaymentCommand } from './commands';
import { paymentDecider } from './decide';
import { paymentEventSchemas, type PaymentEvent } from './events';
import { paymentEventVersioning } from './upcasters';
import type { Payment } from './payment';
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

/** What the command router needs to decide an payment command on its stream. */
export const paymentAggregate: Aggregate<Payment, PaymentCommand, PaymentEvent> = defineAggregate(
  PAYMENT_CATEGORY,
  paymentDecider,
  { schemas: paymentEventSchemas, versioning: paymentEventVersioning },
  (command) => paymentStreamName(command.paymentId),
);
