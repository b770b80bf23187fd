/**
 * The built-in payment provider: deterministic rules (see domain/payments/simulatedPaymentDecision)
 * with a configurable latency. Like a real provider it is idempotent per payment id: charging the
 * same payment again returns the first outcome and charges nothing more.
 */
import type { ChargeOutcome, ChargeRequest, PaymentProvider } from '../../domain/payments';
import { simulatedPaymentDecision } from '../../domain/payments';

export interface SimulatedPaymentProviderOptions {
  /** Charges above this amount are declined; null for no limit. */
  readonly declineAboveCents: number | null;
  readonly latencyMs: number;
}

export class SimulatedPaymentProvider implements PaymentProvider {
  private readonly outcomes = new Map<string, ChargeOutcome>();
  /** How many distinct charges this provider has made (a real provider's ledger). */
  chargeCount = 0;

  constructor(private readonly options: SimulatedPaymentProviderOptions) {}

  async charge(request: ChargeRequest): Promise<ChargeOutcome> {
    if (this.options.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.options.latencyMs));
    const previous = this.outcomes.get(request.paymentId);
    if (previous) return previous;
    const outcome = simulatedPaymentDecision(request, { declineAboveCents: this.options.declineAboveCents });
    this.outcomes.set(request.paymentId, outcome);
    this.chargeCount += 1;
    return outcome;
  }
}
