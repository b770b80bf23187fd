import { GraphQLScalarType } from 'graphql';
import type { Resolvers } from './__generated__/types';

const passThrough = <Value>(value: Value): Value => value;

export const eventResolvers: Resolvers = {
  JSON: new GraphQLScalarType({ name: 'JSON', serialize: passThrough, parseValue: passThrough }),
  RecordedEvent: {
    category: (event, _args, { reads }) => reads.history.categoryOf(event),
    position: (event) => event.position.toString(),
    occurredAt: (event, _args, { reads }) => reads.history.occurredAt(event),
    actor: (event) => (typeof event.metadata.actor === 'string' ? event.metadata.actor : null),
    correlationId: (event) => (typeof event.metadata.correlationId === 'string' ? event.metadata.correlationId : null),
  },
  RecordedEventConnection: {
    nodes: (page) => page.edges.map((edge) => edge.node),
  },
  Query: {
    events: (_parent, { filter, first, after, last, before }, { reads }) =>
      reads.history.list(filter ?? {}, { first, after, last, before }),
    inventoryItemAt: (_parent, { id, revision, at }, { reads }) => reads.history.inventoryItemAt(id, { revision, time: at }),
    orderAt: (_parent, { id, revision, at }, { reads }) => reads.history.orderAt(id, { revision, time: at }),
  },
  Subscription: {
    events: {
      subscribe: (_parent, { after, filter }, { reads }) => reads.history.feed(after, filter ?? {}),
      resolve: passThrough,
    },
  },
};
