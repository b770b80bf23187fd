import { orderResolvers } from '../../resolvers/orders';
import type { Capability } from './capability';

/** Orders, their fulfilment (stock, payment) as the customer and the admin see it, and the dashboard. */
export const ordersCapability: Capability = {
  name: 'orders',
  typeDefs: ['orders.graphql'],
  resolvers: orderResolvers,
  accessRules: {
    'Query.order': 'customer',
    'Query.orders': 'customer',
    'Query.dashboard': 'admin',
    'Mutation.placeOrder': 'customer',
    'Mutation.cancelOrder': 'customer',
    'Mutation.shipOrder': 'admin',
    'Subscription.order': 'customer',
    'Subscription.customerOrders': 'customer',
    'Subscription.lowStockAlerts': 'admin',
  },
};
