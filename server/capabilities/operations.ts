import { operationResolvers } from '../../resolvers/operations';
import type { Capability } from './capability';

/** Projection dead letters and rebuilds: for admins. */
export const operationsCapability: Capability = {
  name: 'operations',
  typeDefs: ['operations.graphql'],
  resolvers: operationResolvers,
  accessRules: {
    'Query.projectionFailures': 'admin',
    'Query.projectionRebuild': 'admin',
    'Mutation.retryProjectionFailure': 'admin',
    'Mutation.skipProjectionFailure': 'admin',
    'Mutation.rebuildProjections': 'admin',
    'Subscription.projectionRebuild': 'admin',
  },
};
