/** Order reads for the GraphQL layer: lookups, lists and live updates from the read side. */
import type { OrderFilter, OrderPage, OrderQueries } from '../../projections/orderView/orderQueries';
import type { OrderView } from '../../projections/orderView/orderView';
import { orderChanges } from '../../projections/orderView/orderView';
import { changeKey } from '../../projections/changeChannel';
import type { PageRequest } from '../../projections/pagination';
import type { LowStockAlert, StockLevel } from '../../projections/shopDashboard/lowStock';
import { lowStockAlertChanges } from '../../projections/shopDashboard/lowStock';
import type { ShopDashboard } from '../../projections/shopDashboard/shopDashboard';
import type { ShopDashboardQueries } from '../../projections/shopDashboard/shopDashboardQueries';
import type { ChangeFeed } from '../changeFeed';
import type { Actor } from '../actor';
import { ForbiddenError, canSeeCustomerOrders, requireOrderAccess } from '../authorization';
import { canonicalUuid } from '../ids';

/** Orders by their customer: a customer's subscription is woken by that customer's orders only. */
const ordersByCustomer = changeKey(orderChanges, 'customerId', (order) => order.customerId);

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
    return this.changes.stream(lowStockAlertChanges, { select: (change) => change.document });
  }

  /** Orders the actor may not see read as null, like orders that do not exist. */
  byIds(ids: readonly string[], actor: Actor): Array<OrderView | null> {
    return this.queries
      .byIds(ids.map((id) => canonicalUuid(id) ?? ''))
      .map((order) => (order && canSeeCustomerOrders(actor, order.customerId) ? order : null));
  }

  /** Customers list only their own orders. */
  list(filter: OrderFilter, page: PageRequest, actor: Actor): OrderPage {
    if (actor.role === 'admin') return this.queries.list(filter, page);
    if (actor.role !== 'customer' || (filter.customerId && filter.customerId !== actor.id)) {
      throw new ForbiddenError('Customers see only their own orders');
    }
    return this.queries.list({ ...filter, customerId: actor.id }, page);
  }

  /** The order's current state, then its state after each step (each state once, in `$all` order). */
  orderUpdates(id: string, actor: Actor): AsyncIterable<OrderView> {
    const [found] = this.byIds([id], actor);
    const current = requireOrderAccess(actor, found ?? null, id);
    let lastPosition = -1n;
    const newer = (order: OrderView) => {
      if (order.position <= lastPosition) return undefined;
      lastPosition = order.position;
      return order;
    };
    return this.changes.stream(orderChanges, {
      id: current.id,
      initial: () => newer(this.queries.byId(current.id) ?? current),
      select: (change) => newer(change.document),
    });
  }

  /** Every change to any of one customer's orders. */
  customerOrders(customerId: string, actor: Actor): AsyncIterable<OrderView> {
    if (!canSeeCustomerOrders(actor, customerId)) throw new ForbiddenError('Customers see only their own orders');
    return this.changes.stream(orderChanges, { key: { by: ordersByCustomer, value: customerId }, select: (change) => change.document });
  }
}
