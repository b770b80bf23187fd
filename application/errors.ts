import { DomainError } from '../domain/errors';

/** The write was stored, but the read side did not show it within the read-your-writes bound. */
export class ReadModelLagError extends DomainError {
  readonly code = 'READ_MODEL_LAG';
}
