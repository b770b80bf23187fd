/**
 * Maps `@eventstore/db-client` errors to the port's typed errors.
 */
import {
  CancelledError,
  DeadlineExceededError,
  NotLeaderError,
  StreamNotFoundError as EsdbStreamNotFoundError,
  UnavailableError,
  WrongExpectedVersionError as EsdbWrongExpectedVersionError,
} from '@eventstore/db-client';
import { EventStoreUnavailableError, StreamNotFoundError, WrongExpectedVersionError } from '../errors';
import type { ExpectedRevision } from '../port';

/** gRPC status codes that mean "the server could not be reached or dropped the call". */
const GRPC_CANCELLED = 1;
const GRPC_DEADLINE_EXCEEDED = 4;
const GRPC_UNAVAILABLE = 14;

function grpcCode(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  const code = (error as { code: unknown }).code;
  return typeof code === 'number' ? code : undefined;
}

/**
 * True for failures worth retrying on a new connection: the client's UnavailableError,
 * CancelledError (server shut down), DeadlineExceededError, NotLeaderError (the client reconnects to
 * the leader), and raw gRPC errors with code 14/1/4 (appends on a dead server reject with a raw
 * `14 UNAVAILABLE`, not the client's class).
 */
export function isTransientEsdbError(error: unknown): boolean {
  if (
    error instanceof UnavailableError ||
    error instanceof CancelledError ||
    error instanceof DeadlineExceededError ||
    error instanceof NotLeaderError ||
    error instanceof EventStoreUnavailableError
  ) {
    return true;
  }
  const code = grpcCode(error);
  return code === GRPC_UNAVAILABLE || code === GRPC_CANCELLED || code === GRPC_DEADLINE_EXCEEDED;
}

export interface ErrorContext {
  readonly streamName?: string;
  readonly expectedRevision?: ExpectedRevision;
  readonly operation: string;
}

export function mapEsdbError(error: unknown, context: ErrorContext): unknown {
  if (error instanceof EsdbWrongExpectedVersionError) {
    const actual = error.actualVersion;
    return new WrongExpectedVersionError(
      context.streamName ?? error.streamName,
      context.expectedRevision ?? fromClientExpected(error.expectedVersion),
      typeof actual === 'bigint' ? Number(actual) : 'no_stream',
    );
  }
  if (error instanceof EsdbStreamNotFoundError) {
    return new StreamNotFoundError(context.streamName ?? error.streamName);
  }
  if (error instanceof EventStoreUnavailableError || error instanceof WrongExpectedVersionError || error instanceof StreamNotFoundError) {
    return error;
  }
  if (isTransientEsdbError(error)) {
    const message = error instanceof Error && error.message ? error.message : String(error);
    return new EventStoreUnavailableError(`EventStoreDB unavailable during ${context.operation}: ${message}`, {
      cause: error,
    });
  }
  return error;
}

function fromClientExpected(expected: unknown): ExpectedRevision {
  if (typeof expected === 'bigint') return Number(expected);
  if (expected === 'no_stream' || expected === 'stream_exists' || expected === 'any') return expected;
  return 'any';
}
