/**
 * The contract every `PaymentProvider` adapter must pass (see domain/payments/paymentProvider).
 * An adapter's spec calls `describePaymentProviderContract` with a factory for a fresh subject:
 * the simulated provider on each event-store backend; a real provider's adapter against its
 * sandbox, with its test tokens and its dashboard's charge count.
 *
 * It lives beside the decider specification because it is a reusable test kit that depends on the
 * domain's port only (and so stays out of the production build, which excludes domain/testing).
 */
import type { ChargeOutcome, ChargeRequest, PaymentProvider } from '../payments';

export interface PaymentProviderSubject {
  readonly provider: PaymentProvider;
  /** A payment method the provider captures, and one it always declines. */
  readonly capturingToken: string;
  readonly decliningToken: string;
  /** A payment id never used before (the provider's idempotency key). */
  newPaymentId(): string;
  /** How many charges the provider's own books show for this payment id (its ledger, its sandbox dashboard). */
  chargesMade(paymentId: string): Promise<number>;
  /** Another adapter instance on the same provider account: the gateway after a restart, or a second gateway instance. */
  anotherInstance(): Promise<PaymentProvider>;
  dispose(): Promise<void>;
}

export function describePaymentProviderContract(name: string, setUp: () => Promise<PaymentProviderSubject>): void {
  describe(`PaymentProvider contract: ${name}`, () => {
    let subject: PaymentProviderSubject;
    beforeEach(async () => {
      subject = await setUp();
    });
    afterEach(async () => {
      await subject.dispose();
    });

    const request = (paymentId: string, token = subject.capturingToken, amountCents = 1250): ChargeRequest => ({
      paymentId,
      amountCents,
      paymentMethodToken: token,
    });

    it('captures a charge once, with a provider reference', async () => {
      const paymentId = subject.newPaymentId();
      const outcome = await subject.provider.charge(request(paymentId));
      expect(outcome).toEqual({ outcome: 'captured', providerReference: expect.any(String) });
      expect((outcome as { providerReference: string }).providerReference).not.toBe('');
      expect(await subject.chargesMade(paymentId)).toBe(1);
    });

    it('declines a payment method that is declined, with a reason', async () => {
      const outcome = await subject.provider.charge(request(subject.newPaymentId(), subject.decliningToken));
      expect(outcome).toEqual({ outcome: 'declined', reason: expect.any(String) });
    });

    it('returns the first outcome for a retried charge with the same payment id, and charges once', async () => {
      const captured = subject.newPaymentId();
      const declined = subject.newPaymentId();
      const first = await subject.provider.charge(request(captured));
      const firstDeclined = await subject.provider.charge(request(declined, subject.decliningToken));
      for (let retry = 0; retry < 3; retry += 1) {
        expect(await subject.provider.charge(request(captured))).toEqual(first);
        expect(await subject.provider.charge(request(declined, subject.decliningToken))).toEqual(firstDeclined);
      }
      expect(await subject.chargesMade(captured)).toBe(1);
    });

    it('charges once for retries sent at the same time', async () => {
      const paymentId = subject.newPaymentId();
      const outcomes = await Promise.all(Array.from({ length: 5 }, () => subject.provider.charge(request(paymentId))));
      expect(new Set(outcomes.map((outcome) => JSON.stringify(outcome))).size).toBe(1);
      expect(await subject.chargesMade(paymentId)).toBe(1);
    });

    it('charges different payment ids separately', async () => {
      const a = subject.newPaymentId();
      const b = subject.newPaymentId();
      const [first, second] = [await subject.provider.charge(request(a)), await subject.provider.charge(request(b))];
      expect(first).not.toEqual(second);
      expect([await subject.chargesMade(a), await subject.chargesMade(b)]).toEqual([1, 1]);
    });

    it('returns the first outcome after a restart, and never charges twice', async () => {
      const paymentId = subject.newPaymentId();
      const first: ChargeOutcome = await subject.provider.charge(request(paymentId));
      const restarted = await subject.anotherInstance();
      expect(await restarted.charge(request(paymentId))).toEqual(first);
      expect(await subject.chargesMade(paymentId)).toBe(1);
    });

    it('charges once when two instances retry the same payment at the same time', async () => {
      const paymentId = subject.newPaymentId();
      const other = await subject.anotherInstance();
      const outcomes = await Promise.all([subject.provider.charge(request(paymentId)), other.charge(request(paymentId))]);
      expect(outcomes[0]).toEqual(outcomes[1]);
      expect(await subject.chargesMade(paymentId)).toBe(1);
    });
  });
}
