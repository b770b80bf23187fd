import type { ExpectedRevision } from './port';

/** The typed failures of the event-store port. Adapters map their driver's errors to these. */
export abstract class EventStoreError extends Error {
  abstract readonly code: string;
}

export class WrongExpectedVersionError extends EventStoreError {
  readonly code = 'WRONG_EXPECTED_VERSION';
  constructor(
    readonly streamName: string,
    readonly expected: ExpectedRevision,
    /** The stream's current revision, or 'no_stream' when it has no events. */
    readonly actual: number | 'no_stream',
  ) {
    super(`Wrong expected version on ${streamName}: expected ${String(expected)}, actual ${String(actual)}`);
    this.name = 'WrongExpectedVersionError';
  }
}

export class StreamNotFoundError extends EventStoreError {
  readonly code = 'STREAM_NOT_FOUND';
  constructor(readonly streamName: string) {
    super(`Stream ${streamName} not found`);
    this.name = 'StreamNotFoundError';
  }
}

export class EventStoreUnavailableError extends EventStoreError {
  readonly code = 'UNAVAILABLE';
  constructor(message = 'The event store is unavailable', options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EventStoreUnavailableError';
  }
}
