import type { CapabilityContext } from '../../application/context';
import type { GatewayStatusView } from '../../application/gatewayStatus';
import { commonResolvers } from '../../resolvers/common';
import type { Capability } from './capability';

declare module '../../application/context' {
  interface CapabilityContext {
    readonly status: () => GatewayStatusView;
  }
}

/** Scalars, the `@live` directive and the gateway's status. */
export const commonCapability: Capability<Pick<CapabilityContext, 'status'>> = {
  name: 'common',
  typeDefs: ['common.graphql', 'live.graphql'],
  resolvers: commonResolvers,
  accessRules: { 'Query.status': 'anyone' },
  wire: ({ store, readSide }) => ({
    context: {
      status: () => ({
        eventStore: store.kind,
        checkpoint: readSide.checkpoint === null ? null : readSide.checkpoint.toString(),
        caughtUp: readSide.caughtUp,
        processedEvents: readSide.status.processedEvents,
      }),
    },
  }),
};
