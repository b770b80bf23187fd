/**
 * The port to whatever delivers messages to customers (a mail service, an SMS gateway). Adapters
 * live outside the domain; the built-in simulated mailer follows `simulatedMailDecision` and keeps
 * its ledger in the event store.
 *
 * The contract every adapter keeps (checked by `domain/testing/notifierContract`):
 * - The message id is the delivery service's idempotency key: an adapter passes it on (e.g. as the
 *   `Idempotency-Key` header or the message's `Message-ID`) and never makes one up per call.
 * - Once a message was sent, sending the same message id again — after a timeout, after a crash and
 *   restart of the gateway, or from another instance at the same time — resolves with the first
 *   delivery (the same delivery reference) and never sends the message a second time.
 * - A failed attempt sends nothing; the caller may try again with the same message id, and a later
 *   attempt may succeed. That memory survives restarts: it is the service's (or, for the simulated
 *   one, a durable ledger's), never the adapter's.
 * - `send` resolves with `sent` or `failed` (the service's answer, with its error) and rejects only when
 *   the outcome is unknown (unreachable, no usable answer); the caller then retries with the same id.
 */
export interface OutgoingMessage {
  /** The delivery service's idempotency key. */
  readonly messageId: string;
  /** Who receives it: the customer id (the simulated mailer's address book is the customer id itself). */
  readonly recipient: string;
  readonly subject: string;
  readonly body: string;
}

export type DeliveryOutcome =
  { readonly outcome: 'sent'; readonly deliveryReference: string } | { readonly outcome: 'failed'; readonly error: string };

export interface Notifier {
  /** Resolves with the service's answer; rejects only when the service could not be reached or answered nothing usable. */
  send(message: OutgoingMessage): Promise<DeliveryOutcome>;
}
