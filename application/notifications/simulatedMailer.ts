/**
 * The built-in notifier: deterministic rules (see domain/notifications/simulatedMailDecision) with a
 * configurable latency. It keeps the `Notifier` contract with a durable ledger, as the simulated
 * payment provider does: each delivery attempt is recorded in the event store, in the internal
 * stream `_mailLedger-<messageId>`, appended at the ledger's revision (`no_stream` for the first).
 * A message the ledger shows sent is never sent again — in this process, after a restart, or from
 * another instance on the same store — and the first delivery is returned instead. Two attempts
 * made at the same time race for the same ledger slot: the loser returns the winner's outcome.
 */
import type { DeliveryOutcome, Notifier, OutgoingMessage, SimulatedMailRules } from '../../domain/notifications';
import { simulatedMailDecision } from '../../domain/notifications';
import { StreamNotFoundError, WrongExpectedVersionError } from '../../eventStore/errors';
import type { EventStore, RecordedEvent } from '../../eventStore/port';
import { newId } from '../ids';

/** The leading `_` marks the ledger as internal: the mail service's books, not shop events. */
export const MAIL_LEDGER_CATEGORY = '_mailLedger';
export const SIMULATED_MAIL_ATTEMPTED = 'SimulatedMailAttempted';
export const mailLedgerStreamName = (messageId: string): string => `${MAIL_LEDGER_CATEGORY}-${messageId}`;

export interface SimulatedMailerOptions extends SimulatedMailRules {
  readonly latencyMs: number;
}

export class SimulatedMailer implements Notifier {
  /** How many messages this instance has sent (entered into the ledger first); replayed deliveries do not count. */
  sentCount = 0;

  constructor(
    private readonly store: EventStore,
    private readonly options: SimulatedMailerOptions,
  ) {}

  async send(message: OutgoingMessage): Promise<DeliveryOutcome> {
    if (this.options.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.options.latencyMs));
    const streamName = mailLedgerStreamName(message.messageId);
    const attempts = await this.recordedAttempts(streamName);
    const delivered = attempts.find(isSent);
    if (delivered) return outcomeOf(delivered);
    const attempt = attempts.length + 1;
    const outcome = simulatedMailDecision(message, attempt, this.options);
    try {
      await this.store.appendToStream(
        streamName,
        [
          {
            // A fresh id: a second instance making the same attempt must lose the race, not pass as a retry.
            id: newId(),
            type: SIMULATED_MAIL_ATTEMPTED,
            data: { messageId: message.messageId, recipient: message.recipient, attempt, ...outcome },
            metadata: { actor: 'notifier:simulated' },
          },
        ],
        { expectedRevision: attempts.length === 0 ? 'no_stream' : attempts[attempts.length - 1]!.revision },
      );
    } catch (error) {
      if (!(error instanceof WrongExpectedVersionError)) throw error;
      // Another instance made this attempt first: a delivery recorded since is the one, else that attempt's outcome.
      const now = await this.recordedAttempts(streamName);
      const winner = now.find(isSent) ?? now[attempt - 1];
      if (winner) return outcomeOf(winner);
      throw error;
    }
    if (outcome.outcome === 'sent') this.sentCount += 1;
    return outcome;
  }

  private async recordedAttempts(streamName: string): Promise<RecordedEvent[]> {
    try {
      return await this.store.readStream(streamName);
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
  }
}

const isSent = (attempt: RecordedEvent): boolean => attempt.data.outcome === 'sent';

function outcomeOf(attempt: RecordedEvent): DeliveryOutcome {
  return isSent(attempt)
    ? { outcome: 'sent', deliveryReference: String(attempt.data.deliveryReference) }
    : { outcome: 'failed', error: String(attempt.data.error) };
}
