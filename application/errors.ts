import { DomainError } from '../domain/errors';

/** The write was stored, but the read side did not show it within the read-your-writes bound. */
export class ReadModelLagError extends DomainError {
  readonly code = 'READ_MODEL_LAG';
}

/** The caller's idempotency key is bound to a different request (another operation, target or input). */
export class IdempotencyKeyReusedError extends DomainError {
  readonly code = 'IDEMPOTENCY_KEY_REUSED';
}
