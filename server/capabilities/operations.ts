import type { CapabilityContext } from '../../application/context';
import { ProjectionAdmin } from '../../application/projectionAdmin';
import { operationResolvers } from '../../resolvers/operations';
import type { Capability } from './capability';

declare module '../../application/context' {
  interface CapabilityContext {
    readonly projections: ProjectionAdmin;
  }
}

/** Projection dead letters and rebuilds: for admins. */
export const operationsCapability: Capability<Pick<CapabilityContext, 'projections'>> = {
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
  wire: ({ readSide, shutdown }) => ({ context: { projections: new ProjectionAdmin(readSide, readSide, shutdown) } }),
};
