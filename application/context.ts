import type { GatewayStatusView } from './gatewayStatus';
import type { InventoryReads } from './inventoryReads';
import type { InventoryService } from './inventoryService';
import type { HistoryReads } from './history/historyReads';
import type { Loaders } from './loaders';
import type { OrderReads } from './orders/orderReads';
import type { OrderService } from './orders/orderService';
import type { ProjectionAdmin } from './projectionAdmin';
import type { RequestScope } from './requestScope';

/** Everything a resolver may use: built fresh for each request (and each subscription). */
export interface GatewayContext {
  readonly scope: RequestScope;
  /** The client's network address (rate limiting of anonymous clients). */
  readonly clientAddress?: string;
  readonly loaders: Loaders;
  readonly inventory: InventoryService;
  readonly orders: OrderService;
  readonly reads: { readonly inventory: InventoryReads; readonly orders: OrderReads; readonly history: HistoryReads };
  readonly status: () => GatewayStatusView;
  readonly projections: ProjectionAdmin;
}
