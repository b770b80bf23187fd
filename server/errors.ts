/**
 * The one place where failures become GraphQL errors. Domain errors and event-store outages
 * keep their stable `extensions.code`; anything unexpected is logged and masked.
 */
import { GraphQLError } from 'graphql';
import { DomainError } from '../domain/errors';
import { EventStoreUnavailableError } from '../eventStore/errors';
import { InvalidCursorError } from '../projections/pagination';
import type { Logger } from '../projections/projectionRunner';

const EXPOSED_FIELDS = [
  'field',
  'expectedVersion',
  'actualVersion',
  'requested',
  'available',
  'streamName',
  'eventId',
  'eventType',
  'eventRevision',
] as const;

function exposedDetails(error: Error): Record<string, unknown> {
  const details: Record<string, unknown> = {};
  for (const key of EXPOSED_FIELDS) {
    const value = (error as unknown as Record<string, unknown>)[key];
    if (value !== undefined) details[key] = value;
  }
  return details;
}

function withPath(error: unknown, message: string, extensions: Record<string, unknown>): GraphQLError {
  const located = error instanceof GraphQLError ? error : undefined;
  return new GraphQLError(message, {
    ...(located?.nodes ? { nodes: located.nodes } : {}),
    ...(located?.source ? { source: located.source } : {}),
    ...(located?.positions ? { positions: located.positions } : {}),
    ...(located?.path ? { path: located.path } : {}),
    extensions,
  });
}

export function createErrorMasker(logger: Logger) {
  return (error: unknown, message: string): Error => {
    const original = error instanceof GraphQLError && error.originalError ? error.originalError : error;
    if (original instanceof DomainError) {
      // A bad token refuses the whole request (it fails before execution): 401, as HTTP says.
      const requestLevel = !(error instanceof GraphQLError && error.path) && original.code === 'UNAUTHENTICATED';
      return withPath(error, original.message, {
        code: original.code,
        ...exposedDetails(original),
        ...(requestLevel ? { http: { status: 401 } } : {}),
      });
    }
    if (original instanceof InvalidCursorError) {
      return withPath(error, original.message, { code: original.code });
    }
    if (original instanceof EventStoreUnavailableError) {
      return withPath(error, 'The event store is unavailable; try again shortly', { code: 'UNAVAILABLE' });
    }
    if (original instanceof SyntaxError) {
      // A request parameter (variables, extensions) that is not valid JSON: the client's mistake.
      return withPath(error, 'A request parameter is not valid JSON', { code: 'BAD_REQUEST', http: { status: 400 } });
    }
    if (original instanceof GraphQLError) return original;
    if (error instanceof GraphQLError && !error.originalError) return error;
    logger.error('unexpected error', {
      error: original instanceof Error ? (original.stack ?? original.message) : String(original),
    });
    return withPath(error, message, { code: 'INTERNAL_SERVER_ERROR' });
  };
}
