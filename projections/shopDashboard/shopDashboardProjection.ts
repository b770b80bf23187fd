import { assertNever } from '../../domain/decider';
import type { InventoryItemEvent } from '../../domain/inventory';
import { INVENTORY_ITEM_CATEGORY, availableChange, inventoryItemEventTypes } from '../../domain/inventory';
import type { OrderEvent } from '../../domain/orders';
import { ORDER_CATEGORY, isOrderEvent, orderEventTypes } from '../../domain/orders';
import type { PaymentCaptured, PaymentRefunded } from '../../domain/payments';
import { PAYMENT_CATEGORY } from '../../domain/payments';
import type { RecordedEvent } from '../../eventStore/port';
import { streamCategory } from '../../eventStore/port';
import { checkShopEvent } from '../eventChecks';
import { TERMINAL_ORDER_VIEW_STATUSES, orderSequenceOf, orderViewStatusAfter } from '../orderView/orderView';
import type { DocumentChange, Projection } from '../projection';
import { occurredAt } from '../projection';
import type { LowStockAlert, StockLevel } from './lowStock';
import { LOW_STOCK_ALERT, crossedIntoLowStock, isLowStock } from './lowStock';
import type { ShopDashboard } from './shopDashboard';
import { SHOP_DASHBOARD, SHOP_DASHBOARD_ID } from './shopDashboard';
import type { ShopDashboardStore } from './shopDashboardStore';

type RevenueEvent = PaymentCaptured | PaymentRefunded;

const revenueEventTypes: ReadonlySet<string> = new Set<RevenueEvent['type']>(['PaymentCaptured', 'PaymentRefunded']);

// Shipping reserved stock takes the same quantity off on-hand and reserved: available does not move.
const stockEventTypes: ReadonlySet<string> = new Set([...inventoryItemEventTypes].filter((type) => type !== 'ReservedStockShipped'));

const dashboardCategories: ReadonlySet<string> = new Set([ORDER_CATEGORY, PAYMENT_CATEGORY, INVENTORY_ITEM_CATEGORY]);

export const shopDashboardEventTypes: ReadonlySet<string> = new Set([...orderEventTypes, ...revenueEventTypes, ...stockEventTypes]);

/**
 * One dashboard document for the whole shop, plus a `lowStockAlert` change for each item whose
 * available quantity crosses below the threshold. It folds many streams into one document, so it
 * implements Projection itself rather than documentProjection (one document per event's id).
 */
export function shopDashboardProjection(store: ShopDashboardStore): Projection {
  return {
    name: SHOP_DASHBOARD,
    handles: (eventType) => shopDashboardEventTypes.has(eventType),
    concerns: (streamName) => dashboardCategories.has(streamCategory(streamName)),
    sequenceOf: orderSequenceOf,
    check: checkShopEvent,
    apply(event) {
      // Idempotent per stream: a parked stream's events arrive after later events of other streams,
      // so `$all` order cannot tell a redelivery; the stream's own revision can.
      const applied = store.appliedRevisions.get(event.streamName);
      if (applied !== undefined && event.revision <= applied) return [];
      store.appliedRevisions.set(event.streamName, event.revision);
      const category = streamCategory(event.streamName);
      if (category === ORDER_CATEGORY && isOrderEvent(event)) return applyOrderEvent(store, event);
      if (category === PAYMENT_CATEGORY && revenueEventTypes.has(event.type)) return applyRevenueEvent(store, event);
      if (category === INVENTORY_ITEM_CATEGORY && stockEventTypes.has(event.type)) return applyStockEvent(store, event);
      return [];
    },
  };
}

function changeDashboard(store: ShopDashboardStore, event: RecordedEvent, patch: Partial<ShopDashboard>): DocumentChange<ShopDashboard> {
  store.document = { ...store.document, ...patch, position: event.position, updatedAt: occurredAt(event) };
  return { projection: SHOP_DASHBOARD, id: SHOP_DASHBOARD_ID, document: store.document, event };
}

function applyOrderEvent(store: ShopDashboardStore, recorded: RecordedEvent): DocumentChange[] {
  const event = recorded as unknown as OrderEvent;
  const { orderId } = event.data;
  const { ordersByStatus } = store.document;
  const next = orderViewStatusAfter(event.type);
  if (event.type === 'OrderPlaced') {
    if (store.orderStatuses.has(orderId)) return [];
    store.orderStatuses.set(orderId, next);
    return [
      changeDashboard(store, recorded, {
        ordersPlaced: store.document.ordersPlaced + 1,
        ordersByStatus: { ...ordersByStatus, [next]: ordersByStatus[next] + 1 },
      }),
    ];
  }
  const current = store.orderStatuses.get(orderId);
  // Unknown: placed before this projection's history, or already terminal.
  if (current === undefined || current === next) return [];
  if (TERMINAL_ORDER_VIEW_STATUSES.has(next)) store.orderStatuses.delete(orderId);
  else store.orderStatuses.set(orderId, next);
  return [
    changeDashboard(store, recorded, {
      ordersByStatus: { ...ordersByStatus, [current]: ordersByStatus[current] - 1, [next]: ordersByStatus[next] + 1 },
    }),
  ];
}

function applyRevenueEvent(store: ShopDashboardStore, recorded: RecordedEvent): DocumentChange[] {
  const event = recorded as unknown as RevenueEvent;
  let { capturedCents, refundedCents } = store.document;
  switch (event.type) {
    case 'PaymentCaptured':
      capturedCents += event.data.amountCents;
      break;
    case 'PaymentRefunded':
      refundedCents += event.data.amountCents;
      break;
    default:
      return assertNever(event);
  }
  return [changeDashboard(store, recorded, { capturedCents, refundedCents, revenueCents: capturedCents - refundedCents })];
}

function applyStockEvent(store: ShopDashboardStore, recorded: RecordedEvent): DocumentChange[] {
  const event = recorded as unknown as InventoryItemEvent;
  const { itemId } = event.data;
  const before = store.stockLevels.get(itemId);
  const after = nextStockLevel(before, event);
  if (after === before) return [];
  if (after === undefined) store.stockLevels.delete(itemId);
  else store.stockLevels.set(itemId, after);
  if (!store.catalogRanks.has(itemId)) store.catalogRanks.set(itemId, store.catalogRanks.size);

  const threshold = store.lowStockThreshold;
  const changes: DocumentChange[] = [];
  const wasLow = before !== undefined && isLowStock(before.quantityAvailable, threshold);
  const isLow = after !== undefined && isLowStock(after.quantityAvailable, threshold);
  if (isLow) store.lowStockRanks.set(itemId, store.catalogRanks.get(itemId)!);
  else store.lowStockRanks.delete(itemId);
  if (wasLow || isLow) changes.push(changeDashboard(store, recorded, { lowStockItems: lowStockItemsNow(store) }));
  if (before !== undefined && after !== undefined && crossedIntoLowStock(before.quantityAvailable, after.quantityAvailable, threshold)) {
    const alert: LowStockAlert = { ...after, threshold };
    changes.push({ projection: LOW_STOCK_ALERT, id: itemId, document: alert, event: recorded });
  }
  return changes;
}

/** The document's low-stock list: fewest available first, ties in catalog order (as lowStockItemsOf orders them). */
function lowStockItemsNow(store: ShopDashboardStore): StockLevel[] {
  const low: Array<{ readonly level: StockLevel; readonly rank: number }> = [];
  for (const [itemId, rank] of store.lowStockRanks) low.push({ level: store.stockLevels.get(itemId)!, rank });
  low.sort((a, b) => a.level.quantityAvailable - b.level.quantityAvailable || a.rank - b.rank);
  return low.map(({ level }) => level);
}

/** The item's stock level after the event: the same object when nothing changed, undefined once it is gone. */
function nextStockLevel(level: StockLevel | undefined, event: InventoryItemEvent): StockLevel | undefined {
  if (event.type === 'InventoryItemCreated') {
    if (level !== undefined) return level;
    // A new item has nothing available; it has not crossed the threshold, so it raises no alert.
    const { itemId, sku, name } = event.data;
    return { itemId, sku, name, quantityAvailable: 0 };
  }
  // Unknown item: deactivated already, or created before this projection's history.
  if (level === undefined) return undefined;
  switch (event.type) {
    case 'InventoryItemRenamed':
      return event.data.name === level.name ? level : { ...level, name: event.data.name };
    case 'ItemsCheckedIn':
    case 'ItemsRemovedFromInventory':
    case 'StockReserved':
    case 'StockReservationReleased':
    case 'ReservedStockShipped': {
      const change = availableChange(event);
      if (change === 0) return level;
      // Fields named, not spread: this runs for nearly every stock event of a replay.
      return { itemId: level.itemId, sku: level.sku, name: level.name, quantityAvailable: level.quantityAvailable + change };
    }
    case 'InventoryItemDeactivated':
      return undefined;
    default:
      return assertNever(event);
  }
}
