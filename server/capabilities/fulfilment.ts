import { OrderFulfilmentProcessManager } from '../../application/orders/orderFulfilmentProcessManager';
import { SimulatedPaymentProvider } from '../../application/orders/simulatedPaymentProvider';
import { tracedPaymentProvider } from '../../application/tracing/tracedPaymentProvider';
import type { Capability, CapabilityHandles } from './capability';

declare module './capability' {
  interface CapabilityHandles {
    readonly fulfilment: OrderFulfilmentProcessManager;
    readonly paymentProvider: SimulatedPaymentProvider;
  }
}

/** Orders taken from placed to confirmed (stock, payment, compensation): a reaction, no GraphQL surface of its own. */
export const fulfilmentCapability: Capability<object, object, object, Pick<CapabilityHandles, 'fulfilment' | 'paymentProvider'>> = {
  name: 'fulfilment',
  typeDefs: [],
  resolvers: {},
  accessRules: {},
  wire: ({ config, store, commands, logger }) => {
    const paymentProvider = new SimulatedPaymentProvider(store, {
      declineAboveCents: config.paymentDeclineAboveCents,
      latencyMs: config.paymentLatencyMs,
    });
    const fulfilment = new OrderFulfilmentProcessManager(store, commands, tracedPaymentProvider(paymentProvider), { logger });
    return { reactions: [fulfilment], handles: { fulfilment, paymentProvider } };
  },
};
