import type { StockLevel } from './lowStock';
import { lowStockItemsOf } from './lowStock';
import type { ShopDashboard } from './shopDashboard';
import type { ShopDashboardStore } from './shopDashboardStore';

export class ShopDashboardQueries {
  constructor(private readonly store: ShopDashboardStore) {}

  dashboard(): ShopDashboard {
    return this.store.document;
  }

  /** Active items with fewer than `threshold` available (the configured threshold unless given), fewest first. */
  lowStockItems(threshold: number = this.store.lowStockThreshold): StockLevel[] {
    return lowStockItemsOf(this.store.stockLevels.values(), threshold);
  }

  stockLevel(itemId: string): StockLevel | null {
    return this.store.stockLevels.get(itemId) ?? null;
  }
}
