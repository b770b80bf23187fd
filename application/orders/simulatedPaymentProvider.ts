/**
 * The built-in payment provider: deterministic rules (see domain/payments/simulatedPaymentDecision)
 * with a configurable latency. It keeps the `PaymentProvider` contract with a durable ledger: each
 * charge is recorded in the event store, in the internal stream `_paymentLedger-<paymentId>`,
 * appended with expected revision `no_stream`. A retried charge — in this process, after a restart,
 * or from another instance on the same store — reads the first outcome from there and charges
 * nothing more, even if the rules have changed in between.
 */
import type { ChargeOutcome, ChargeRequest, PaymentProvider } from '../../domain/payments';
import { simulatedPaymentDecision } from '../../domain/payments';
import { StreamNotFoundError, WrongExpectedVersionError } from '../../eventStore/errors';
import type { EventStore } from '../../eventStore/port';
import { newId } from '../ids';

/** The leading `_` marks the ledger as internal: the provider's books, not shop events. */
export const PAYMENT_LEDGER_CATEGORY = '_paymentLedger';
export const SIMULATED_CHARGE_RECORDED = 'SimulatedChargeRecorded';
export const paymentLedgerStreamName = (paymentId: string): string => `${PAYMENT_LEDGER_CATEGORY}-${paymentId}`;

export interface SimulatedPaymentProviderOptions {
  /** Charges above this amount are declined; null for no limit. */
  readonly declineAboveCents: number | null;
  readonly latencyMs: number;
}

export class SimulatedPaymentProvider implements PaymentProvider {
  /** How many charges this instance has made (entered into the ledger first); replayed outcomes do not count. */
  chargeCount = 0;

  constructor(
    private readonly store: EventStore,
    private readonly options: SimulatedPaymentProviderOptions,
  ) {}

  async charge(request: ChargeRequest): Promise<ChargeOutcome> {
    if (this.options.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.options.latencyMs));
    const streamName = paymentLedgerStreamName(request.paymentId);
    const previous = await this.recordedOutcome(streamName);
    if (previous) return previous;
    const outcome = simulatedPaymentDecision(request, { declineAboveCents: this.options.declineAboveCents });
    try {
      await this.store.appendToStream(
        streamName,
        [
          {
            // A fresh id: a second instance deciding the same charge must lose the race, not pass as a retry.
            id: newId(),
            type: SIMULATED_CHARGE_RECORDED,
            data: { paymentId: request.paymentId, amountCents: request.amountCents, ...outcome },
            metadata: { actor: 'paymentProvider:simulated' },
          },
        ],
        { expectedRevision: 'no_stream' },
      );
    } catch (error) {
      if (!(error instanceof WrongExpectedVersionError)) throw error;
      // Another instance charged this payment first: its outcome is the one.
      const first = await this.recordedOutcome(streamName);
      if (first) return first;
      throw error;
    }
    this.chargeCount += 1;
    return outcome;
  }

  private async recordedOutcome(streamName: string): Promise<ChargeOutcome | null> {
    try {
      const [first] = await this.store.readStream(streamName, { maxCount: 1 });
      if (!first) return null;
      const { data } = first;
      return data.outcome === 'captured'
        ? { outcome: 'captured', providerReference: String(data.providerReference) }
        : { outcome: 'declined', reason: String(data.reason) };
    } catch (error) {
      if (error instanceof StreamNotFoundError) return null;
      throw error;
    }
  }
}
