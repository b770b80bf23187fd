/**
 * The port to a payment provider. Adapters live outside the domain; the built-in simulated one
 * follows `simulatedPaymentDecision` and keeps its ledger in the event store.
 *
 * The contract every adapter keeps (checked by `domain/testing/paymentProviderContract`):
 * - The payment id is the provider's idempotency key. An adapter sends it as the provider's
 *   idempotency key (e.g. the `Idempotency-Key` header) and never makes one up per call.
 * - A charge retried with the same payment id — after a timeout, after a crash and restart of
 *   the gateway, or from another gateway instance at the same time — returns the first outcome
 *   (captured with the same provider reference, or declined with the same reason) and never
 *   charges the customer a second time.
 * - That memory lasts at least as long as the shop may retry a charge, so it survives restarts:
 *   it is the provider's (or, for the simulated one, a durable ledger's), never the adapter's memory.
 * - `charge` resolves with the provider's decision and rejects only when the outcome is unknown
 *   (unreachable, no usable answer); the process manager then retries with the same payment id.
 * A retry always carries the same amount and token, as recorded in the payment's `PaymentRequested`.
 */
export interface ChargeRequest {
  /** The provider's idempotency key: charging the same payment id again never charges twice, it returns the first outcome. */
  readonly paymentId: string;
  readonly amountCents: number;
  readonly paymentMethodToken: string;
}

export type ChargeOutcome =
  { readonly outcome: 'captured'; readonly providerReference: string } | { readonly outcome: 'declined'; readonly reason: string };

export interface PaymentProvider {
  /** Resolves with the provider's decision; rejects only when the provider could not be reached or answered nothing usable. */
  charge(request: ChargeRequest): Promise<ChargeOutcome>;
}
