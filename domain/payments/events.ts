import type { DomainEvent } from '../decider';

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
