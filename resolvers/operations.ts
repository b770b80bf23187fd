import type { Resolvers } from './__generated__/types';

export const operationResolvers: Resolvers = {
  ProjectionFailure: {
    eventId: (failure) => failure.event.id,
    eventType: (failure) => failure.event.type,
    streamName: (failure) => failure.event.streamName,
    position: (failure) => failure.event.position.toString(),
    parkedCount: (failure) => failure.parked.length,
    parkedEvents: (failure, { first }, { projections }) => projections.parkedEvents(failure, first),
  },
  ProjectionRebuild: {
    state: (rebuild) => rebuild.state.toUpperCase() as 'IDLE' | 'RUNNING' | 'COMPLETED' | 'FAILED',
    percent: (rebuild) =>
      rebuild.totalEvents === 0
        ? rebuild.state === 'completed'
          ? 100
          : 0
        : Math.min(100, (100 * rebuild.processedEvents) / rebuild.totalEvents),
  },
  Query: {
    projectionFailures: (_parent, _args, { projections }) => [...projections.failures()],
    projectionRebuild: (_parent, _args, { projections }) => projections.rebuildStatus(),
  },
  Subscription: {
    projectionRebuild: {
      subscribe: (_parent, _args, { projections }) => projections.rebuildProgress(),
      resolve: <Value>(value: Value) => value,
    },
  },
  Mutation: {
    rebuildProjections: (_parent, _args, { projections }) => projections.startRebuild(),
    retryProjectionFailure: (_parent, { projection, streamName }, { projections }) => projections.retry(projection, streamName),
    skipProjectionFailure: (_parent, { projection, streamName }, { projections }) => projections.skip(projection, streamName),
  },
};
