/** Order reads for the GraphQL layer: lookups, lists and live updates from the read side. */
import { NotFoundError } from '../../domain/errors';
import type { OrderFilter, OrderPage, OrderQueries } from '../../projections/orderView/orderQueries';
import type { OrderView } from '../../projections/orderView/orderView';
import { ORDER_VIEW } from '../../projections/orderView/orderView';
import type { PageRequest } from '../../projections/pagination';
import type { LowStockAlert, StockLevel } from '../../projections/shopDashboard/lowStock';
import { LOW_STOCK_ALERT } from '../../projections/shopDashboard/lowStock';
import type { ShopDashboard } from '../../projections/shopDashboard/shopDashboard';
import type { ShopDashboardQueries } from '../../projections/shopDashboard/shopDashboardQueries';
import type { ChangeFeed } from '../changeFeed';
import { isUuid } from '../ids';

export class OrderReads {
  constructor(
    private readonly queries: OrderQueries,
    private readonly dashboards: ShopDashboardQueries,
    private readonly changes: ChangeFeed,
  ) {}

  dashboard(): ShopDashboard {
    return this.dashboards.dashboard();
  }

  /** Active items with fewer than `threshold` units available (default: the configured threshold), fewest first. */
  lowStockItems(threshold?: number | null): StockLevel[] {
    return this.dashboards.lowStockItems(threshold ?? undefined);
  }

  /** Fires each time an item's available stock falls below the threshold. */
  lowStockAlerts(): AsyncIterable<LowStockAlert> {
    return this.changes.stream({
      select: (change) => (change.projection === LOW_STOCK_ALERT && change.document ? (change.document as LowStockAlert) : undefined),
    });
  }

  byIds(ids: readonly string[]): Array<OrderView | null> {
    return this.queries.byIds(ids.map((id) => (isUuid(id) ? id.toLowerCase() : '')));
  }

  list(filter: OrderFilter, page: PageRequest): OrderPage {
    return this.queries.list(filter, page);
  }

  /** The order's current state, then its state after each step (each state once, in `$all` order). */
  orderUpdates(id: string): AsyncIterable<OrderView> {
    const [current] = this.byIds([id]);
    if (!current) throw new NotFoundError(`Order ${id} not found`);
    let lastPosition = -1n;
    const newer = (order: OrderView) => {
      if (order.position <= lastPosition) return undefined;
      lastPosition = order.position;
      return order;
    };
    return this.changes.stream({
      initial: () => newer(this.queries.byId(current.id) ?? current),
      select: (change) =>
        change.projection === ORDER_VIEW && change.id === current.id && change.document ? newer(change.document as OrderView) : undefined,
    });
  }

  /** Every change to any of one customer's orders. */
  customerOrders(customerId: string): AsyncIterable<OrderView> {
    return this.changes.stream({
      select: (change) =>
        change.projection === ORDER_VIEW && change.document && (change.document as OrderView).customerId === customerId
          ? (change.document as OrderView)
          : undefined,
    });
  }
}
