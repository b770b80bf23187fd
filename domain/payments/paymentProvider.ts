/**
 * The port to a payment provider. Adapters live outside the domain; the built-in
 * simulated one follows `simulatedPaymentDecision`.
 */
export interface ChargeRequest {
  /** The provider's idempotency key: charging the same payment id again never charges twice, it returns the first outcome. */
  readonly paymentId: string;
  readonly amountCents: number;
  readonly paymentMethodToken: string;
}

export type ChargeOutcome =
  | { readonly outcome: 'captured'; readonly providerReference: string }
  | { readonly outcome: 'declined'; readonly reason: string };

export interface PaymentProvider {
  /** Resolves with the provider's decision; rejects only when the provider could not be reached or answered nothing usable. */
  charge(request: ChargeRequest): Promise<ChargeOutcome>;
}
