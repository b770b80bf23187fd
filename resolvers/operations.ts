import type { Resolvers } from './__generated__/types';

export const operationResolvers: Resolvers = {
  ProjectionFailure: {
    eventId: (failure) => failure.event.id,
    eventType: (failure) => failure.event.type,
    streamName: (failure) => failure.event.streamName,
    position: (failure) => failure.event.position.toString(),
  },
  Query: {
    projectionFailures: (_parent, _args, { projections }) => [...projections.failures()],
  },
  Mutation: {
    retryProjectionFailure: (_parent, { projection }, { projections }) => projections.retry(projection),
    skipProjectionFailure: (_parent, { projection }, { projections }) => projections.skip(projection),
  },
};
