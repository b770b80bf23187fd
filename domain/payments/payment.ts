import { assertNever } from '../decider';
import type { PaymentEvent } from './events';

/** 100 lines × 1000 × 1,000,000.00: the largest order total. */
export const PAYMENT_AMOUNT_MAX_CENTS = 10_000_000_000_000;
/** Ids, tokens and provider references. */
export const PAYMENT_REFERENCE_MAX_LENGTH = 200;
export const PAYMENT_REASON_MAX_LENGTH = 500;

interface RequestedPayment {
  readonly paymentId: string;
  readonly orderId: string;
  readonly customerId: string;
  readonly amountCents: number;
  readonly paymentMethodToken: string;
}

/** requested → captured → refunded, or requested → declined. */
export type Payment =
  | { readonly status: 'notRequested' }
  | ({ readonly status: 'requested' } & RequestedPayment)
  | ({ readonly status: 'captured'; readonly providerReference: string } & RequestedPayment)
  | ({ readonly status: 'declined'; readonly declineReason: string } & RequestedPayment)
  | ({ readonly status: 'refunded'; readonly providerReference: string; readonly refundReason: string } & RequestedPayment);

export type PaymentStatus = Payment['status'];

export const initialPayment = (): Payment => ({ status: 'notRequested' });

function requestedPayment(payment: RequestedPayment): RequestedPayment {
  const { paymentId, orderId, customerId, amountCents, paymentMethodToken } = payment;
  return { paymentId, orderId, customerId, amountCents, paymentMethodToken };
}

export function evolvePayment(state: Payment, event: PaymentEvent): Payment {
  if (event.type === 'PaymentRequested') return { status: 'requested', ...event.data };
  if (state.status === 'notRequested') return state;
  switch (event.type) {
    case 'PaymentCaptured':
      return { status: 'captured', providerReference: event.data.providerReference, ...requestedPayment(state) };
    case 'PaymentDeclined':
      return { status: 'declined', declineReason: event.data.reason, ...requestedPayment(state) };
    case 'PaymentRefunded':
      // Only a captured payment is ever refunded.
      if (state.status !== 'captured') return state;
      return { ...state, status: 'refunded', refundReason: event.data.reason };
    default:
      return assertNever(event);
  }
}
