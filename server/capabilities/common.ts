import { commonResolvers } from '../../resolvers/common';
import type { Capability } from './capability';

/** Scalars, the `@live` directive and the gateway's status. */
export const commonCapability: Capability = {
  name: 'common',
  typeDefs: ['common.graphql', 'live.graphql'],
  resolvers: commonResolvers,
  accessRules: { 'Query.status': 'anyone' },
};
