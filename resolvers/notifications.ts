import type { Resolvers } from './__generated__/types';

const passThrough = <Value>(value: Value): Value => value;

export const notificationResolvers: Resolvers = {
  NotificationConnection: {
    nodes: (page) => page.edges.map((edge) => edge.node),
    totalCount: (page) => page.totalCount(),
  },
  NotificationDeliveryFailureConnection: {
    nodes: (page) => page.edges.map((edge) => edge.node),
    totalCount: (page) => page.totalCount(),
  },
  Query: {
    notifications: (_parent, { customerId, first, after, last, before }, { reads, scope }) =>
      reads.notifications.ofCustomer(customerId, { first, after, last, before }, scope.actor),
    notificationDeliveryFailures: (_parent, { status, first, after, last, before }, { reads }) =>
      reads.notifications.deliveryFailures({ status }, { first, after, last, before }),
  },
  Subscription: {
    notifications: {
      subscribe: (_parent, { customerId }, { reads, scope }) => reads.notifications.watch(customerId, scope.actor),
      resolve: passThrough,
    },
  },
};
