import { AlreadyExistsError, InvalidInputError, NotFoundError } from '../errors';
import { deciderSpecification } from '../testing/deciderSpecification';
import { itRejectsInvalidInput } from '../testing/invalidInputCases';
import type { RequestPayment } from './commands';
import { paymentDecider } from './decide';
import { PaymentStateError } from './errors';
import type { PaymentEvent } from './events';
import { isPaymentEvent, paymentEventTypes } from './events';
import { evolvePayment, initialPayment } from './payment';

const given = deciderSpecification(paymentDecider);
const paymentId = 'order-1';
const orderId = 'order-1';
const request: RequestPayment = {
  type: 'RequestPayment',
  paymentId,
  orderId,
  customerId: 'customer-1',
  amountCents: 3750,
  paymentMethodToken: 'tok_visa',
};
const requested: PaymentEvent = {
  type: 'PaymentRequested',
  data: { paymentId, orderId, customerId: 'customer-1', amountCents: 3750, paymentMethodToken: 'tok_visa' },
};
const captured: PaymentEvent = {
  type: 'PaymentCaptured',
  data: { paymentId, orderId, amountCents: 3750, providerReference: 'sim_order-1' },
};
const declined: PaymentEvent = { type: 'PaymentDeclined', data: { paymentId, orderId, reason: 'card declined' } };
const refunded: PaymentEvent = {
  type: 'PaymentRefunded',
  data: { paymentId, orderId, amountCents: 3750, reason: 'order cancelled' },
};

const capture = { type: 'RecordPaymentCaptured', paymentId, providerReference: 'sim_order-1' } as const;
const decline = { type: 'RecordPaymentDeclined', paymentId, reason: 'card declined' } as const;
const refund = { type: 'RefundPayment', paymentId, reason: 'order cancelled' } as const;

describe('payment', () => {
  describe('request', () => {
    it('requests a payment', () => {
      given([]).when(request).then([requested]);
    });

    it('trims the customer id and token', () => {
      given([])
        .when({ ...request, customerId: ' customer-1 ', paymentMethodToken: ' tok_visa ' })
        .then([requested]);
    });

    it('accepts a payment of nothing, for an order of free items', () => {
      given([])
        .when({ ...request, amountCents: 0 })
        .then([{ type: 'PaymentRequested', data: { ...requested.data, amountCents: 0 } } as PaymentEvent]);
    });

    it.each([
      ['requested', [requested]],
      ['captured', [requested, captured]],
      ['declined', [requested, declined]],
    ])('treats the same request on a %s payment as done', (_status, history) => {
      given(history).when(request).then([]);
    });

    it('rejects a second request with different details', () => {
      given([requested])
        .when({ ...request, amountCents: 1 })
        .thenThrows(AlreadyExistsError, { code: 'ALREADY_EXISTS' });
    });

    itRejectsInvalidInput(given([]), request, [
      ['a negative amount', { amountCents: -1 }, 'amountCents'],
      ['a fractional amount', { amountCents: 0.5 }, 'amountCents'],
      ['an amount above the largest order', { amountCents: 10_000_000_000_001 }, 'amountCents'],
      ['a blank token', { paymentMethodToken: ' ' }, 'paymentMethodToken'],
      ['a blank customer id', { customerId: '' }, 'customerId'],
      ['a blank order id', { orderId: '' }, 'orderId'],
    ]);
  });

  describe('capture', () => {
    it('captures a requested payment', () => {
      given([requested]).when(capture).then([captured]);
    });

    it('treats the same capture reported again as done', () => {
      given([requested, captured]).when(capture).then([]);
    });

    it('never captures twice', () => {
      given([requested, captured])
        .when({ ...capture, providerReference: 'sim_other' })
        .thenThrows(PaymentStateError, { code: 'INVALID_PAYMENT_STATE', status: 'captured' });
    });

    it('cannot capture a declined payment', () => {
      given([requested, declined]).when(capture).thenThrows(PaymentStateError, { status: 'declined' });
    });

    it('requires a provider reference', () => {
      given([requested])
        .when({ ...capture, providerReference: '' })
        .thenThrows(InvalidInputError, { field: 'providerReference' });
    });

    it('rejects an unknown payment', () => {
      given([]).when(capture).thenThrows(NotFoundError, { code: 'NOT_FOUND' });
    });
  });

  describe('decline', () => {
    it('declines a requested payment', () => {
      given([requested]).when(decline).then([declined]);
    });

    it('treats a repeated decline as done', () => {
      given([requested, declined]).when(decline).then([]);
    });

    it.each([
      ['captured', [requested, captured]],
      ['refunded', [requested, captured, refunded]],
    ])('cannot decline a %s payment', (status, history) => {
      given(history).when(decline).thenThrows(PaymentStateError, { code: 'INVALID_PAYMENT_STATE', status });
    });

    it('rejects an unknown payment', () => {
      given([]).when(decline).thenThrows(NotFoundError);
    });
  });

  describe('refund', () => {
    it('refunds the captured amount', () => {
      given([requested, captured]).when(refund).then([refunded]);
    });

    it('treats a repeated refund as done', () => {
      given([requested, captured, refunded]).when(refund).then([]);
    });

    it.each([
      ['requested', [requested]],
      ['declined', [requested, declined]],
    ])('cannot refund a %s payment, as nothing was captured', (status, history) => {
      given(history).when(refund).thenThrows(PaymentStateError, { code: 'INVALID_PAYMENT_STATE', status });
    });

    it('requires a reason', () => {
      given([requested, captured])
        .when({ ...refund, reason: ' ' })
        .thenThrows(InvalidInputError, { field: 'reason' });
    });

    it('rejects an unknown payment', () => {
      given([]).when(refund).thenThrows(NotFoundError);
    });
  });

  it('keeps the provider reference through a refund', () => {
    const state = [requested, captured, refunded].reduce(evolvePayment, initialPayment());
    expect(state).toEqual({
      status: 'refunded',
      providerReference: 'sim_order-1',
      refundReason: 'order cancelled',
      ...requested.data,
    });
  });

  it('recognises its own events only', () => {
    expect([...paymentEventTypes].every((type) => isPaymentEvent({ type }))).toBe(true);
    expect(isPaymentEvent({ type: 'OrderPlaced' })).toBe(false);
  });
});
