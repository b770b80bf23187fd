import type { Resolvers } from './__generated__/types';

const passThrough = <Value>(value: Value): Value => value;

export const orderResolvers: Resolvers = {
  Order: {
    payment: (order) => ({
      status: order.paymentStatus,
      providerReference: order.providerReference,
      declineReason: order.declineReason,
      refundReason: order.refundReason,
    }),
    history: (order) =>
      order.statusHistory.map((change) => ({
        step: change.status,
        at: change.at,
        eventType: change.eventType,
        position: change.position.toString(),
      })),
  },
  OrderLine: {
    item: (line, _args, { loaders }) => loaders.inventoryItemById.load(line.itemId),
  },
  ShopDashboard: {
    ordersByStatus: (dashboard) =>
      Object.entries(dashboard.ordersByStatus).map(([status, count]) => ({
        status: status as keyof typeof dashboard.ordersByStatus,
        count,
      })),
    lowStockItems: async (_dashboard, { threshold }, { reads, loaders }) => {
      const items = await loaders.inventoryItemById.loadMany(reads.orders.lowStockItems(threshold).map((level) => level.itemId));
      return items.flatMap((item) => (item === null || item instanceof Error ? [] : [item]));
    },
  },
  LowStockAlert: {
    item: async (alert, _args, { loaders }) => {
      const item = await loaders.inventoryItemById.load(alert.itemId);
      if (!item) throw new Error(`low-stock alert for unknown item ${alert.itemId}`);
      return item;
    },
  },
  OrderConnection: {
    nodes: (page) => page.edges.map((edge) => edge.node),
    totalCount: (page) => page.totalCount(),
  },
  Query: {
    order: (_parent, { id }, { loaders }) => loaders.orderById.load(id),
    orders: (_parent, { customerId, status, first, after, last, before }, { reads, scope }) =>
      reads.orders.list({ customerId, status }, { first, after, last, before }, scope.actor),
    dashboard: (_parent, _args, { reads }) => reads.orders.dashboard(),
  },
  Mutation: {
    placeOrder: (_parent, { input }, { orders, scope }) => orders.placeOrder(input, scope),
    cancelOrder: (_parent, { input }, { orders, scope }) => orders.cancelOrder(input, scope),
    shipOrder: (_parent, { input }, { orders, scope }) => orders.shipOrder(input, scope),
  },
  Subscription: {
    order: {
      subscribe: (_parent, { id }, { reads, scope }) => reads.orders.orderUpdates(id, scope.actor),
      resolve: passThrough,
    },
    lowStockAlerts: {
      subscribe: (_parent, _args, { reads }) => reads.orders.lowStockAlerts(),
      resolve: passThrough,
    },
    customerOrders: {
      subscribe: (_parent, { customerId }, { reads, scope }) => reads.orders.customerOrders(customerId, scope.actor),
      resolve: passThrough,
    },
  },
};
