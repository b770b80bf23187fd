import type { ReadModel } from '../readModel';
import { shopDashboardProjection } from './shopDashboardProjection';
import { ShopDashboardStore } from './shopDashboardStore';

/** The admin's dashboard: orders by status, revenue, stock levels and low-stock alerts below `lowStockThreshold`. */
export const shopDashboardReadModel = (lowStockThreshold: number): ReadModel<{ readonly dashboard: ShopDashboardStore }> => ({
  name: 'shopDashboard',
  createStores: () => ({ dashboard: new ShopDashboardStore({ lowStockThreshold }) }),
  projections: ({ dashboard }) => [shopDashboardProjection(dashboard)],
});
