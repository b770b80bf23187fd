import { eventResolvers } from '../../resolvers/events';
import type { Capability } from './capability';

/** The stored events, their live feed and time travel: for admins. */
export const historyCapability: Capability = {
  name: 'history',
  typeDefs: ['events.graphql'],
  resolvers: eventResolvers,
  accessRules: {
    'Query.events': 'admin',
    'Query.inventoryItemAt': 'admin',
    'Query.orderAt': 'admin',
    'Subscription.events': 'admin',
  },
};
