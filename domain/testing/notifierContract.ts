/**
 * The contract every `Notifier` adapter must pass (see domain/notifications/notifier). An adapter's
 * spec calls `describeNotifierContract` with a factory for a fresh subject: the simulated mailer on
 * each event-store backend; a real mail service's adapter against its sandbox, with its test
 * addresses and its dashboard's count of messages sent.
 *
 * It lives beside the payment provider's contract: a reusable test kit that depends on the domain's
 * port only (and so stays out of the production build, which excludes domain/testing).
 */
import type { DeliveryOutcome, Notifier, OutgoingMessage } from '../notifications';

export interface NotifierSubject {
  readonly notifier: Notifier;
  /** A recipient the service delivers to, and one it never can. */
  readonly deliverableRecipient: string;
  readonly undeliverableRecipient: string;
  /** A message id never used before (the service's idempotency key). */
  newMessageId(): string;
  /** How many times the service's own books show this message sent (its ledger, its sandbox dashboard). */
  timesSent(messageId: string): Promise<number>;
  /** Another adapter instance on the same service account: the gateway after a restart, or a second gateway instance. */
  anotherInstance(): Promise<Notifier>;
  dispose(): Promise<void>;
}

export function describeNotifierContract(name: string, setUp: () => Promise<NotifierSubject>): void {
  describe(`Notifier contract: ${name}`, () => {
    let subject: NotifierSubject;
    beforeEach(async () => {
      subject = await setUp();
    });
    afterEach(async () => {
      await subject.dispose();
    });

    const message = (messageId: string, recipient = subject.deliverableRecipient): OutgoingMessage => ({
      messageId,
      recipient,
      subject: 'Your order is confirmed',
      body: 'Thank you for your order.',
    });

    it('sends a message once, with a delivery reference', async () => {
      const messageId = subject.newMessageId();
      const outcome = await subject.notifier.send(message(messageId));
      expect(outcome).toEqual({ outcome: 'sent', deliveryReference: expect.any(String) });
      expect((outcome as { deliveryReference: string }).deliveryReference).not.toBe('');
      expect(await subject.timesSent(messageId)).toBe(1);
    });

    it('fails for a recipient it cannot deliver to, with an error, and sends nothing', async () => {
      const messageId = subject.newMessageId();
      const outcome = await subject.notifier.send(message(messageId, subject.undeliverableRecipient));
      expect(outcome).toEqual({ outcome: 'failed', error: expect.any(String) });
      expect((outcome as { error: string }).error).not.toBe('');
      expect(await subject.timesSent(messageId)).toBe(0);
    });

    it('lets a failed message be tried again, still sending nothing while it fails', async () => {
      const messageId = subject.newMessageId();
      for (let retry = 0; retry < 3; retry += 1) {
        expect((await subject.notifier.send(message(messageId, subject.undeliverableRecipient))).outcome).toBe('failed');
      }
      expect(await subject.timesSent(messageId)).toBe(0);
    });

    it('returns the first delivery for a message sent again with the same id, and sends it once', async () => {
      const messageId = subject.newMessageId();
      const first = await subject.notifier.send(message(messageId));
      for (let retry = 0; retry < 3; retry += 1) expect(await subject.notifier.send(message(messageId))).toEqual(first);
      expect(await subject.timesSent(messageId)).toBe(1);
    });

    it('sends once for retries sent at the same time', async () => {
      const messageId = subject.newMessageId();
      const outcomes = await Promise.all(Array.from({ length: 5 }, () => subject.notifier.send(message(messageId))));
      expect(new Set(outcomes.map((outcome) => JSON.stringify(outcome))).size).toBe(1);
      expect(await subject.timesSent(messageId)).toBe(1);
    });

    it('sends different message ids separately', async () => {
      const a = subject.newMessageId();
      const b = subject.newMessageId();
      const [first, second] = [await subject.notifier.send(message(a)), await subject.notifier.send(message(b))];
      expect(first).not.toEqual(second);
      expect([await subject.timesSent(a), await subject.timesSent(b)]).toEqual([1, 1]);
    });

    it('returns the first delivery after a restart, and never sends twice', async () => {
      const messageId = subject.newMessageId();
      const first: DeliveryOutcome = await subject.notifier.send(message(messageId));
      const restarted = await subject.anotherInstance();
      expect(await restarted.send(message(messageId))).toEqual(first);
      expect(await subject.timesSent(messageId)).toBe(1);
    });

    it('sends once when two instances send the same message at the same time', async () => {
      const messageId = subject.newMessageId();
      const other = await subject.anotherInstance();
      const outcomes = await Promise.all([subject.notifier.send(message(messageId)), other.send(message(messageId))]);
      expect(outcomes[0]).toEqual(outcomes[1]);
      expect(await subject.timesSent(messageId)).toBe(1);
    });
  });
}
