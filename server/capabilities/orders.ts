import type { CapabilityContext, CapabilityReads } from '../../application/context';
import type { Loaders } from '../../application/loaders';
import DataLoader from 'dataloader';
import { OrderReads } from '../../application/orders/orderReads';
import { OrderService } from '../../application/orders/orderService';
import { InventoryItemQueries } from '../../projections/inventoryItemView/inventoryItemQueries';
import { inventoryItemReadModel } from '../../projections/inventoryItemView/inventoryItemReadModel';
import { OrderQueries } from '../../projections/orderView/orderQueries';
import { orderReadModel } from '../../projections/orderView/orderReadModel';
import type { OrderView } from '../../projections/orderView/orderView';
import { ShopDashboardQueries } from '../../projections/shopDashboard/shopDashboardQueries';
import { shopDashboardReadModel } from '../../projections/shopDashboard/shopDashboardReadModel';
import { orderResolvers } from '../../resolvers/orders';
import type { Capability } from './capability';

declare module '../../application/context' {
  interface CapabilityContext {
    readonly orders: OrderService;
  }
  interface CapabilityReads {
    readonly orders: OrderReads;
  }
}
declare module '../../application/loaders' {
  interface Loaders {
    readonly orderById: DataLoader<string, OrderView | null>;
  }
}

/** Orders as the customer and the admin see them (their fulfilment runs in fulfilment.ts), and the dashboard. */
export const ordersCapability: Capability<
  Pick<CapabilityContext, 'orders'>,
  Pick<CapabilityReads, 'orders'>,
  Pick<Loaders, 'orderById'>
> = {
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
  readModels: (config) => [inventoryItemReadModel, orderReadModel, shopDashboardReadModel(config.lowStockThreshold)],
  wire: ({ config, executor, changes, stores }) => {
    const orders = new OrderQueries(stores(orderReadModel).orders);
    const dashboard = new ShopDashboardQueries(stores(shopDashboardReadModel(config.lowStockThreshold)).dashboard);
    const reads = new OrderReads(orders, dashboard, changes);
    return {
      context: { orders: new OrderService(executor, orders, new InventoryItemQueries(stores(inventoryItemReadModel).items)) },
      reads: { orders: reads },
      loaders: (actor) => ({ orderById: new DataLoader(async (ids) => reads.byIds(ids, actor)) }),
    };
  },
};
