/**
 * The simulated mailer keeps the Notifier contract on every event-store backend, its ledger
 * surviving a restart: a restarted (or second) instance never sends a message again.
 */
import { randomUUID } from 'node:crypto';
import { SIMULATED_UNDELIVERABLE_MARK, simulatedMailDecision } from '../../domain/notifications';
import { describeNotifierContract } from '../../domain/testing/notifierContract';
import { StreamNotFoundError } from '../../eventStore/errors';
import type { EventStore } from '../../eventStore/port';
import { backends } from '../../test/support/backends';
import { concurrentConnection } from '../../test/support/concurrentConnection';
import { SimulatedMailer, mailLedgerStreamName } from './simulatedMailer';

const RELIABLE = { transientFailurePercent: 0, latencyMs: 0 };

async function ledger(store: EventStore, messageId: string) {
  try {
    return await store.readStream(mailLedgerStreamName(messageId));
  } catch (error) {
    if (error instanceof StreamNotFoundError) return [];
    throw error;
  }
}

const timesSent = async (store: EventStore, messageId: string) =>
  (await ledger(store, messageId)).filter((attempt) => attempt.data.outcome === 'sent').length;

describe.each(backends)('simulated mailer ($name store)', (backend) => {
  describeNotifierContract('simulated mailer', async () => {
    const { store, reopen, dispose } = await backend.create();
    const stores = [store];
    return {
      notifier: new SimulatedMailer(store, RELIABLE),
      deliverableRecipient: 'customer-1',
      undeliverableRecipient: `customer-${SIMULATED_UNDELIVERABLE_MARK}`,
      newMessageId: randomUUID,
      timesSent: (messageId) => timesSent(store, messageId),
      anotherInstance: async () => {
        const connection = await concurrentConnection(backend, store, reopen);
        if (!stores.includes(connection)) stores.push(connection);
        return new SimulatedMailer(connection, RELIABLE);
      },
      dispose: async () => {
        for (const opened of stores) await opened.close();
        await dispose();
      },
    };
  });

  it('sends a message on a later attempt after a transient failure, once, and never again after a restart', async () => {
    const { store, reopen, dispose } = await backend.create();
    const rules = { transientFailurePercent: 50, latencyMs: 0 };
    // A message whose first attempt fails and whose second is sent, by the deterministic rules.
    const messageId = Array.from({ length: 200 }, () => randomUUID()).find((id) => {
      const probe = { messageId: id, recipient: 'customer-1', subject: 's', body: 'b' };
      return simulatedMailDecision(probe, 1, rules).outcome === 'failed' && simulatedMailDecision(probe, 2, rules).outcome === 'sent';
    })!;
    const message = { messageId, recipient: 'customer-1', subject: 'Your order is confirmed', body: 'Thank you.' };
    try {
      const mailer = new SimulatedMailer(store, rules);
      expect(await mailer.send(message)).toEqual({ outcome: 'failed', error: 'mail service temporarily unavailable' });
      expect(await mailer.send(message)).toEqual({ outcome: 'sent', deliveryReference: `sim-mail_${messageId}` });
      expect(mailer.sentCount).toBe(1);
      await store.close();

      // Under rules that would now fail every attempt, only the ledger can answer "sent".
      const restartedStore = await reopen();
      try {
        const restarted = new SimulatedMailer(restartedStore, { transientFailurePercent: 100, latencyMs: 0 });
        expect(await restarted.send(message)).toEqual({ outcome: 'sent', deliveryReference: `sim-mail_${messageId}` });
        expect(restarted.sentCount).toBe(0);
        expect((await ledger(restartedStore, messageId)).map((attempt) => [attempt.data.attempt, attempt.data.outcome])).toEqual([
          [1, 'failed'],
          [2, 'sent'],
        ]);
      } finally {
        await restartedStore.close();
      }
    } finally {
      await dispose();
    }
  });

  it('lets exactly one of two instances send each new message when both try at once', async () => {
    const { store, reopen, dispose } = await backend.create();
    const other = await concurrentConnection(backend, store, reopen);
    try {
      const one = new SimulatedMailer(store, RELIABLE);
      const two = new SimulatedMailer(other, RELIABLE);
      const messageIds = Array.from({ length: 10 }, () => randomUUID());
      await Promise.all(
        messageIds.flatMap((messageId) =>
          [one, two].map((mailer) => mailer.send({ messageId, recipient: 'customer-1', subject: 'Hello', body: 'Hi.' })),
        ),
      );
      expect(one.sentCount + two.sentCount).toBe(10);
    } finally {
      if (other !== store) await other.close();
      await store.close();
      await dispose();
    }
  });
});
