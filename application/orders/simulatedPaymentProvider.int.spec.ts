/**
 * The simulated payment provider keeps the PaymentProvider contract on every event-store backend,
 * its ledger surviving a restart: a restarted (or second) instance never charges a payment again.
 */
import { randomUUID } from 'node:crypto';
import { SIMULATED_DECLINED_TOKEN } from '../../domain/payments';
import { describePaymentProviderContract } from '../../domain/testing/paymentProviderContract';
import { StreamNotFoundError } from '../../eventStore/errors';
import type { EventStore } from '../../eventStore/port';
import { backends } from '../../test/support/backends';
import { concurrentConnection } from '../../test/support/concurrentConnection';
import { SimulatedPaymentProvider, paymentLedgerStreamName } from './simulatedPaymentProvider';

const RULES = { declineAboveCents: 100_000, latencyMs: 0 };

async function ledgerEntries(store: EventStore, paymentId: string): Promise<number> {
  try {
    return (await store.readStream(paymentLedgerStreamName(paymentId))).length;
  } catch (error) {
    if (error instanceof StreamNotFoundError) return 0;
    throw error;
  }
}

describe.each(backends)('simulated payment provider ($name store)', (backend) => {
  describePaymentProviderContract('simulated provider', async () => {
    const { store, reopen, dispose } = await backend.create();
    const stores = [store];
    return {
      provider: new SimulatedPaymentProvider(store, RULES),
      capturingToken: 'tok_visa',
      decliningToken: SIMULATED_DECLINED_TOKEN,
      newPaymentId: randomUUID,
      chargesMade: (paymentId) => ledgerEntries(store, paymentId),
      anotherInstance: async () => {
        const connection = await concurrentConnection(backend, store, reopen);
        if (!stores.includes(connection)) stores.push(connection);
        return new SimulatedPaymentProvider(connection, RULES);
      },
      dispose: async () => {
        for (const opened of stores) await opened.close();
        await dispose();
      },
    };
  });

  it('after a restart returns the recorded outcome even under changed rules, and charges nothing', async () => {
    const { store, reopen, dispose } = await backend.create();
    const paymentId = randomUUID();
    const request = { paymentId, amountCents: 60_000, paymentMethodToken: 'tok_visa' };
    try {
      const before = new SimulatedPaymentProvider(store, RULES);
      const first = await before.charge(request);
      expect(first).toEqual({ outcome: 'captured', providerReference: `sim_${paymentId}` });
      expect(before.chargeCount).toBe(1);
      await store.close();

      // The restarted gateway would now decline this amount: only the ledger can answer "captured".
      const restartedStore = await reopen();
      try {
        const after = new SimulatedPaymentProvider(restartedStore, { declineAboveCents: 50_000, latencyMs: 0 });
        expect(await after.charge(request)).toEqual(first);
        expect(after.chargeCount).toBe(0);
        const second = new SimulatedPaymentProvider(restartedStore, { declineAboveCents: 50_000, latencyMs: 0 });
        const racing = await Promise.all([after.charge(request), second.charge(request)]);
        expect(racing).toEqual([first, first]);
        expect(after.chargeCount + second.chargeCount).toBe(0);
        expect(await ledgerEntries(restartedStore, paymentId)).toBe(1);
      } finally {
        await restartedStore.close();
      }
    } finally {
      await dispose();
    }
  });

  it('lets exactly one of two instances make a new charge when both try at once', async () => {
    const { store, reopen, dispose } = await backend.create();
    const other = await concurrentConnection(backend, store, reopen);
    try {
      const one = new SimulatedPaymentProvider(store, RULES);
      const two = new SimulatedPaymentProvider(other, RULES);
      const paymentIds = Array.from({ length: 10 }, () => randomUUID());
      await Promise.all(
        paymentIds.flatMap((paymentId) =>
          [one, two].map((provider) => provider.charge({ paymentId, amountCents: 100, paymentMethodToken: 'tok_visa' })),
        ),
      );
      expect(one.chargeCount + two.chargeCount).toBe(10);
    } finally {
      if (other !== store) await other.close();
      await store.close();
      await dispose();
    }
  });
});
