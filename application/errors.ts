import { DomainError } from '../domain/errors';

/** The write was stored, but the read side did not show it within the read-your-writes bound. */
export class ReadModelLagError extends DomainError.withCode('READ_MODEL_LAG') {}

/** The caller's idempotency key is bound to a different request (another operation, target or input). */
export class IdempotencyKeyReusedError extends DomainError.withCode('IDEMPOTENCY_KEY_REUSED') {}

/**
 * A stream holds an event its aggregate cannot fold (it fails its schema, or its type is not one
 * of the aggregate's): no command on that stream is decided until an operator repairs it.
 */
export class CorruptStreamError extends DomainError.withCode('CORRUPT_STREAM') {
  constructor(
    readonly streamName: string,
    readonly eventId: string,
    readonly eventType: string,
    readonly eventRevision: number,
    reason: string,
  ) {
    super(`Stream ${streamName} cannot be changed: its event ${eventId} (${eventType}, revision ${eventRevision}) is invalid: ${reason}`);
  }
}
