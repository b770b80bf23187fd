import type { CapabilityReads } from '../../application/context';
import { HistoryReads } from '../../application/history/historyReads';
import { eventResolvers } from '../../resolvers/events';
import type { Capability } from './capability';

declare module '../../application/context' {
  interface CapabilityReads {
    readonly history: HistoryReads;
  }
}

/** The stored events, their live feed (from the single subscription) and time travel: for admins. */
export const historyCapability: Capability<object, Pick<CapabilityReads, 'history'>> = {
  name: 'history',
  typeDefs: ['events.graphql'],
  resolvers: eventResolvers,
  accessRules: {
    'Query.events': 'admin',
    'Query.inventoryItemAt': 'admin',
    'Query.orderAt': 'admin',
    'Subscription.events': 'admin',
  },
  wire: ({ store, readSide, shutdown }) => ({ reads: { history: new HistoryReads(store, readSide, shutdown) } }),
};
