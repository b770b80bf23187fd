import { SIMULATED_DECLINED_TOKEN, simulatedPaymentDecision } from './simulatedPaymentDecision';

describe('simulated payment decision', () => {
  const request = { paymentId: 'order-1', amountCents: 5000, paymentMethodToken: 'tok_visa' };

  it('captures with a reference derived from the payment id', () => {
    expect(simulatedPaymentDecision(request, { declineAboveCents: null })).toEqual({
      outcome: 'captured',
      providerReference: 'sim_order-1',
    });
  });

  it('always declines the declining test token', () => {
    expect(SIMULATED_DECLINED_TOKEN).toBe('tok_declined');
    const declining = { ...request, amountCents: 0, paymentMethodToken: 'tok_declined' };
    expect(simulatedPaymentDecision(declining, { declineAboveCents: null })).toEqual({
      outcome: 'declined',
      reason: 'card declined',
    });
  });

  it('declines amounts above the limit and captures the limit itself', () => {
    expect(simulatedPaymentDecision({ ...request, amountCents: 5001 }, { declineAboveCents: 5000 })).toEqual({
      outcome: 'declined',
      reason: 'amount above the limit of 5000 cents',
    });
    expect(simulatedPaymentDecision(request, { declineAboveCents: 5000 }).outcome).toBe('captured');
  });

  it('decides the same way every time', () => {
    const rules = { declineAboveCents: 10_000 };
    expect(simulatedPaymentDecision(request, rules)).toEqual(simulatedPaymentDecision(request, rules));
  });
});
