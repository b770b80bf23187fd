import type { ChargeOutcome, ChargeRequest } from './paymentProvider';

/** A test card token that is always declined. Any other token is captured, up to the configured limit. */
export const SIMULATED_DECLINED_TOKEN = 'tok_declined';

export interface SimulatedPaymentRules {
  /** Amounts above this are declined; null for no limit. */
  readonly declineAboveCents: number | null;
}

/**
 * The built-in simulated provider's decision, deterministic so tests and demos can steer it:
 * - token `tok_declined` → declined, reason "card declined";
 * - an amount above `declineAboveCents` → declined, reason "amount above the limit of N cents";
 * - anything else → captured, provider reference `sim_<paymentId>` (the same for a repeated charge).
 */
export function simulatedPaymentDecision(request: ChargeRequest, rules: SimulatedPaymentRules): ChargeOutcome {
  if (request.paymentMethodToken === SIMULATED_DECLINED_TOKEN) return { outcome: 'declined', reason: 'card declined' };
  if (rules.declineAboveCents !== null && request.amountCents > rules.declineAboveCents) {
    return { outcome: 'declined', reason: `amount above the limit of ${rules.declineAboveCents} cents` };
  }
  return { outcome: 'captured', providerReference: `sim_${request.paymentId}` };
}
