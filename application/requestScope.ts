import type { Actor } from './actor';

/** Who asks, when, and under which correlation id: set once per request by the composition root. */
export interface RequestScope {
  readonly actor: Actor;
  readonly correlationId: string;
  /** The request's time, ISO-8601. The domain never reads the clock; it gets this. */
  readonly receivedAt: string;
}

/** Options every mutation accepts. */
export interface WriteOptions {
  readonly idempotencyKey?: string | null;
  readonly expectedVersion?: number | null;
}
