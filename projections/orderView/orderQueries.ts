import type { Page, PageRequest } from '../pagination';
import { paginate } from '../pagination';
import type { OrderView, OrderViewStatus } from './orderView';
import type { OrderViewStore } from './orderViewStore';

export interface OrderFilter {
  readonly customerId?: string | null;
  /** Orders in any of these statuses; null, absent or empty: any status. */
  readonly status?: readonly OrderViewStatus[] | null;
}

export const ORDER_CURSOR_KIND = 'order';

export class OrderQueries {
  constructor(private readonly store: OrderViewStore) {}

  byId(id: string): OrderView | null {
    return this.store.get(id) ?? null;
  }

  byIds(ids: readonly string[]): Array<OrderView | null> {
    return ids.map((id) => this.store.get(id) ?? null);
  }

  /** In creation order, oldest first. */
  list(filter: OrderFilter, page: PageRequest): Page<OrderView> {
    const statuses = filter.status && filter.status.length > 0 ? new Set(filter.status) : null;
    const matches = (order: OrderView) => statuses === null || statuses.has(order.status);
    const { customerId } = filter;
    const documents = customerId === null || customerId === undefined ? () => this.store.values() : () => this.ordersOfCustomer(customerId);
    return paginate(ORDER_CURSOR_KIND, documents, (order) => order.createdPosition, matches, page);
  }

  private *ordersOfCustomer(customerId: string): Iterable<OrderView> {
    for (const id of this.store.orderIdsOfCustomer(customerId)) {
      const order = this.store.get(id);
      if (order !== undefined) yield order;
    }
  }
}
export type OrderPage = Page<OrderView>;
