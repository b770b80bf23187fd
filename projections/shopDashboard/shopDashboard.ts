import type { OrderViewStatus } from '../orderView/orderView';
import { ORDER_VIEW_STATUSES } from '../orderView/orderView';
import type { StockLevel } from './lowStock';

export const SHOP_DASHBOARD = 'shopDashboard';
export const SHOP_DASHBOARD_ID = 'shop';

/** The shop at a glance: one document for the whole shop. */
export interface ShopDashboard {
  readonly id: typeof SHOP_DASHBOARD_ID;
  readonly ordersPlaced: number;
  /** How many orders are in each status now; every status is present. */
  readonly ordersByStatus: Readonly<Record<OrderViewStatus, number>>;
  readonly capturedCents: number;
  readonly refundedCents: number;
  /** Captured minus refunded. */
  readonly revenueCents: number;
  readonly lowStockThreshold: number;
  /** Active items below `lowStockThreshold`, fewest available first. */
  readonly lowStockItems: readonly StockLevel[];
  /** `$all` position of the last event that changed this document; null before any did. */
  readonly position: bigint | null;
  readonly updatedAt: string | null;
}

export function emptyShopDashboard(lowStockThreshold: number): ShopDashboard {
  const ordersByStatus = Object.fromEntries(ORDER_VIEW_STATUSES.map((status) => [status, 0])) as Record<OrderViewStatus, number>;
  return {
    id: SHOP_DASHBOARD_ID,
    ordersPlaced: 0,
    ordersByStatus,
    capturedCents: 0,
    refundedCents: 0,
    revenueCents: 0,
    lowStockThreshold,
    lowStockItems: [],
    position: null,
    updatedAt: null,
  };
}
