/**
 * The read side: documents in memory, built from `$all`. Queries read them through stand-ins, so a
 * version rebuilt side by side can replace it without downtime.
 */
import { tracedProjections } from '../application/tracing/tracedProjections';
import type { EventStore } from '../eventStore/port';
import { InMemoryDocumentStore, type DocumentStore } from '../projections/documentStore';
import { InventoryItemQueries } from '../projections/inventoryItemView/inventoryItemQueries';
import { inventoryItemViewDefinition, type InventoryItemView } from '../projections/inventoryItemView/inventoryItemView';
import { OrderQueries } from '../projections/orderView/orderQueries';
import { orderViewDefinition } from '../projections/orderView/orderView';
import { InMemoryOrderViewStore, type OrderViewStore } from '../projections/orderView/orderViewStore';
import { documentProjection } from '../projections/projection';
import { ProjectionRunner, type Logger } from '../projections/projectionRunner';
import { RebuildableReadSide, type ReadModelVersion } from '../projections/rebuildableReadSide';
import { shopDashboardProjection } from '../projections/shopDashboard/shopDashboardProjection';
import { ShopDashboardQueries } from '../projections/shopDashboard/shopDashboardQueries';
import { ShopDashboardStore } from '../projections/shopDashboard/shopDashboardStore';
import { swappable } from '../projections/swappable';

export interface ReadSide {
  readonly runner: RebuildableReadSide;
  readonly inventory: InventoryItemQueries;
  readonly orders: OrderQueries;
  readonly dashboard: ShopDashboardQueries;
}

export interface ReadSideOptions {
  readonly store: EventStore;
  readonly lowStockThreshold: number;
  readonly logger: Logger;
  /** Called when a rebuilt version replaces every document at once. */
  readonly onSwap: () => void;
}

export function createReadSide({ store, lowStockThreshold, logger, onSwap }: ReadSideOptions): ReadSide {
  const inventoryViews = swappable<DocumentStore<InventoryItemView>>(new InMemoryDocumentStore<InventoryItemView>());
  const orderViews = swappable<OrderViewStore>(new InMemoryOrderViewStore());
  const dashboard = swappable(new ShopDashboardStore({ lowStockThreshold }));
  const buildReadModel = (): ReadModelVersion => {
    const stores = {
      inventory: new InMemoryDocumentStore<InventoryItemView>(),
      orders: new InMemoryOrderViewStore(),
      dashboard: new ShopDashboardStore({ lowStockThreshold }),
    };
    const projections = [
      documentProjection(inventoryItemViewDefinition, stores.inventory),
      documentProjection(orderViewDefinition, stores.orders),
      shopDashboardProjection(stores.dashboard),
    ];
    // Live events only are traced: a replay (start-up, rebuild) is not waited on by anyone.
    const runner: ProjectionRunner = new ProjectionRunner(
      store,
      tracedProjections(projections, () => runner.caughtUp),
      { logger },
    );
    return {
      runner,
      activate: () => {
        inventoryViews.swap(stores.inventory);
        orderViews.swap(stores.orders);
        dashboard.swap(stores.dashboard);
        onSwap();
      },
    };
  };
  return {
    runner: new RebuildableReadSide(buildReadModel(), buildReadModel),
    inventory: new InventoryItemQueries(inventoryViews.view),
    orders: new OrderQueries(orderViews.view),
    dashboard: new ShopDashboardQueries(dashboard.view),
  };
}
