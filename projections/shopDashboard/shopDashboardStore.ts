import type { OrderViewStatus } from '../orderView/orderView';
import type { StockLevel } from './lowStock';
import { DEFAULT_LOW_STOCK_THRESHOLD } from './lowStock';
import type { ShopDashboard } from './shopDashboard';
import { emptyShopDashboard } from './shopDashboard';

export interface ShopDashboardOptions {
  /** Items with fewer available are low on stock. A non-negative integer; 5 unless given. */
  readonly lowStockThreshold?: number;
}

/**
 * The dashboard document and the working state behind it, kept in memory and rebuilt from
 * `$all` at start-up. The working state stays out of the document so that a change notification
 * does not carry every order, and so that applying an event does not copy it.
 */
export class ShopDashboardStore {
  readonly lowStockThreshold: number;
  document: ShopDashboard;
  /** Status of each order still in flight; an order leaves on reaching a terminal status. */
  readonly orderStatuses = new Map<string, OrderViewStatus>();
  /** Active inventory items, in catalog (creation) order; a deactivated item leaves. */
  readonly stockLevels = new Map<string, StockLevel>();
  /**
   * The items of `stockLevels` below `lowStockThreshold`, each with its place in the catalog: the
   * document's low-stock list is rebuilt from these few, not from a scan of every item per stock event.
   */
  readonly lowStockRanks = new Map<string, number>();
  /** Creation order of every item seen, for ties in the low-stock list. */
  readonly catalogRanks = new Map<string, number>();
  /** Revision of the last event applied per stream: one at or below it was applied already. */
  readonly appliedRevisions = new Map<string, number>();

  constructor(options: ShopDashboardOptions = {}) {
    const threshold = options.lowStockThreshold ?? DEFAULT_LOW_STOCK_THRESHOLD;
    if (!Number.isInteger(threshold) || threshold < 0) throw new RangeError('lowStockThreshold must be a non-negative integer');
    this.lowStockThreshold = threshold;
    this.document = emptyShopDashboard(threshold);
  }
}
