import { z } from 'zod';
import type { DomainEvent } from '../decider';
import type { EventSchemas } from '../eventSchema';

// Stored event type names: explicit and never renamed. A changed shape gets a new name.
export type PaymentRequested = DomainEvent<
  'PaymentRequested',
  {
    readonly paymentId: string;
    readonly orderId: string;
    readonly customerId: string;
    readonly amountCents: number;
    readonly paymentMethodToken: string;
  }
>;
export type PaymentCaptured = DomainEvent<
  'PaymentCaptured',
  { readonly paymentId: string; readonly orderId: string; readonly amountCents: number; readonly providerReference: string }
>;
/** Terminal. */
export type PaymentDeclined = DomainEvent<
  'PaymentDeclined',
  { readonly paymentId: string; readonly orderId: string; readonly reason: string }
>;
/** Terminal: the whole captured amount went back. */
export type PaymentRefunded = DomainEvent<
  'PaymentRefunded',
  { readonly paymentId: string; readonly orderId: string; readonly amountCents: number; readonly reason: string }
>;

export type PaymentEvent = PaymentRequested | PaymentCaptured | PaymentDeclined | PaymentRefunded;

export const paymentEventTypes: ReadonlySet<string> = new Set<PaymentEvent['type']>([
  'PaymentRequested',
  'PaymentCaptured',
  'PaymentDeclined',
  'PaymentRefunded',
]);

export function isPaymentEvent(event: { readonly type: string }): event is PaymentEvent {
  return paymentEventTypes.has(event.type);
}

// Schemas of the stored shapes: what any writer's event must look like before it is folded.
const id = z.string().min(1);
const cents = z.number().int().nonnegative();

export const paymentEventSchemas: EventSchemas<PaymentEvent> = {
  PaymentRequested: z.object({ paymentId: id, orderId: id, customerId: id, amountCents: cents, paymentMethodToken: z.string() }),
  PaymentCaptured: z.object({ paymentId: id, orderId: id, amountCents: cents, providerReference: z.string() }),
  PaymentDeclined: z.object({ paymentId: id, orderId: id, reason: z.string() }),
  PaymentRefunded: z.object({ paymentId: id, orderId: id, amountCents: cents, reason: z.string() }),
};
