import { checkEvent } from '../eventSchema';
import { paymentEventVersioning } from './upcasters';
import type { Decider } from '../decider';
import { assertNever } from '../decider';
import { AlreadyExistsError, NotFoundError } from '../errors';
import { requireAmountInCents, requireText } from '../validation';
import type { PaymentCommand, RecordPaymentCaptured, RecordPaymentDeclined, RefundPayment, RequestPayment } from './commands';
import { PaymentStateError } from './errors';
import type { PaymentEvent } from './events';
import { paymentEventSchemas } from './events';
import type { Payment } from './payment';
import {
  PAYMENT_AMOUNT_MAX_CENTS,
  PAYMENT_REASON_MAX_LENGTH,
  PAYMENT_REFERENCE_MAX_LENGTH,
  evolvePayment,
  initialPayment,
} from './payment';

type Requested = Exclude<Payment, { status: 'notRequested' }>;

function requireRequested(state: Payment, paymentId: string): Requested {
  if (state.status === 'notRequested') throw new NotFoundError(`Payment ${paymentId} not found`);
  return state;
}

export function requestPayment(command: RequestPayment, state: Payment): PaymentEvent[] {
  const orderId = requireText(command.orderId, 'orderId', PAYMENT_REFERENCE_MAX_LENGTH);
  const customerId = requireText(command.customerId, 'customerId', PAYMENT_REFERENCE_MAX_LENGTH);
  const amountCents = requireAmountInCents(command.amountCents, 'amountCents', PAYMENT_AMOUNT_MAX_CENTS);
  const paymentMethodToken = requireText(command.paymentMethodToken, 'paymentMethodToken', PAYMENT_REFERENCE_MAX_LENGTH);
  if (state.status !== 'notRequested') {
    // A payment is requested once; a repeat of the same request is done already.
    const repeated =
      state.orderId === orderId &&
      state.customerId === customerId &&
      state.amountCents === amountCents &&
      state.paymentMethodToken === paymentMethodToken;
    if (repeated) return [];
    throw new AlreadyExistsError(`Payment ${command.paymentId} was already requested with different details`);
  }
  return [
    {
      type: 'PaymentRequested',
      data: { paymentId: command.paymentId, orderId, customerId, amountCents, paymentMethodToken },
    },
  ];
}

export function recordPaymentCaptured(command: RecordPaymentCaptured, state: Payment): PaymentEvent[] {
  const providerReference = requireText(command.providerReference, 'providerReference', PAYMENT_REFERENCE_MAX_LENGTH);
  const payment = requireRequested(state, command.paymentId);
  switch (payment.status) {
    case 'requested':
      return [
        {
          type: 'PaymentCaptured',
          data: { paymentId: command.paymentId, orderId: payment.orderId, amountCents: payment.amountCents, providerReference },
        },
      ];
    case 'captured':
    case 'refunded':
      // The same capture reported again is done already; a second, different capture is never recorded.
      if (payment.providerReference === providerReference) return [];
      throw new PaymentStateError(command.paymentId, payment.status, 'the payment was already captured');
    case 'declined':
      throw new PaymentStateError(command.paymentId, payment.status, 'cannot capture a declined payment');
    default:
      return assertNever(payment);
  }
}

export function recordPaymentDeclined(command: RecordPaymentDeclined, state: Payment): PaymentEvent[] {
  const reason = requireText(command.reason, 'reason', PAYMENT_REASON_MAX_LENGTH);
  const payment = requireRequested(state, command.paymentId);
  switch (payment.status) {
    case 'requested':
      return [{ type: 'PaymentDeclined', data: { paymentId: command.paymentId, orderId: payment.orderId, reason } }];
    case 'declined':
      return [];
    case 'captured':
    case 'refunded':
      throw new PaymentStateError(command.paymentId, payment.status, 'cannot decline a captured payment');
    default:
      return assertNever(payment);
  }
}

export function refundPayment(command: RefundPayment, state: Payment): PaymentEvent[] {
  const reason = requireText(command.reason, 'reason', PAYMENT_REASON_MAX_LENGTH);
  const payment = requireRequested(state, command.paymentId);
  switch (payment.status) {
    case 'captured':
      return [
        {
          type: 'PaymentRefunded',
          data: { paymentId: command.paymentId, orderId: payment.orderId, amountCents: payment.amountCents, reason },
        },
      ];
    case 'refunded':
      return [];
    case 'requested':
    case 'declined':
      throw new PaymentStateError(command.paymentId, payment.status, 'cannot refund a payment that was not captured');
    default:
      return assertNever(payment);
  }
}

export function decidePayment(command: PaymentCommand, state: Payment): PaymentEvent[] {
  switch (command.type) {
    case 'RequestPayment':
      return requestPayment(command, state);
    case 'RecordPaymentCaptured':
      return recordPaymentCaptured(command, state);
    case 'RecordPaymentDeclined':
      return recordPaymentDeclined(command, state);
    case 'RefundPayment':
      return refundPayment(command, state);
    default:
      return assertNever(command);
  }
}

export const paymentDecider: Decider<Payment, PaymentCommand, PaymentEvent> = {
  initialState: initialPayment,
  evolve: evolvePayment,
  decide: decidePayment,
  checkEvent: (stored) => checkEvent(paymentEventSchemas, stored, paymentEventVersioning.currentVersions),
};
