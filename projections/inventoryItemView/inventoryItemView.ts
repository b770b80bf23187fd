import type { InventoryItemEvent } from '../../domain/inventory';
import {
  INVENTORY_ITEM_CATEGORY,
  inventoryItemEventTypes,
  isInventoryItemEvent,
  onHandChange,
  reservedChange,
} from '../../domain/inventory';
import type { RecordedEvent } from '../../eventStore/port';
import { streamCategory } from '../../eventStore/port';
import { checkShopEvent } from '../eventChecks';
import type { DocumentProjectionDefinition } from '../projection';
import { occurredAt } from '../projection';
import { changeChannel } from '../changeChannel';
import type { DocumentPositions } from '../documentPositions';

export interface InventoryItemView extends DocumentPositions {
  readonly id: string;
  readonly sku: string;
  readonly name: string;
  readonly unitPriceCents: number | null;
  readonly quantityOnHand: number;
  readonly quantityReserved: number;
  /** On hand minus reserved: what can still be sold or removed. */
  readonly quantityAvailable: number;
  readonly active: boolean;
  readonly deactivationReason: string | null;
  /** Revision of the last event applied: the version a client passes as expectedVersion. */
  readonly version: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export const INVENTORY_ITEM_VIEW = 'inventoryItemView';
export const inventoryItemChanges = changeChannel<InventoryItemView>(INVENTORY_ITEM_VIEW);

export function evolveInventoryItemView(view: InventoryItemView | null, recorded: RecordedEvent): InventoryItemView | null {
  if (!isInventoryItemEvent(recorded)) return view;
  // Idempotent: an event at or below the revision already applied changes nothing.
  if (view !== null && recorded.revision <= view.version) return view;
  const event = recorded as unknown as InventoryItemEvent;
  if (event.type === 'InventoryItemCreated') {
    // Only a stream's first event creates it: another would silently reset the item.
    if (view !== null)
      throw new Error(`InventoryItemCreated at revision ${recorded.revision} on item ${view.id}, which exists since revision 0`);
    const at = occurredAt(recorded);
    return {
      id: event.data.itemId,
      sku: event.data.sku,
      name: event.data.name,
      unitPriceCents: event.data.unitPriceCents,
      quantityOnHand: 0,
      quantityReserved: 0,
      quantityAvailable: 0,
      active: true,
      deactivationReason: null,
      version: recorded.revision,
      createdPosition: recorded.position,
      position: recorded.position,
      createdAt: at,
      updatedAt: at,
    };
  }
  if (view === null) return null;
  // The changed fields go into locals and the next view is built once, in one shape: a replay
  // applies this a million times, and each extra spread was a copy of the whole view.
  let { name, quantityOnHand, quantityReserved, active, deactivationReason } = view;
  switch (event.type) {
    case 'InventoryItemRenamed':
      name = event.data.name;
      break;
    case 'InventoryItemDeactivated':
      active = false;
      deactivationReason = event.data.reason;
      break;
    case 'ItemsCheckedIn':
    case 'ItemsRemovedFromInventory':
    case 'StockReserved':
    case 'StockReservationReleased':
    case 'ReservedStockShipped':
      quantityOnHand += onHandChange(event);
      quantityReserved += reservedChange(event);
      break;
    default: {
      const unhandled: never = event;
      return unhandled;
    }
  }
  return {
    id: view.id,
    sku: view.sku,
    name,
    unitPriceCents: view.unitPriceCents,
    quantityOnHand,
    quantityReserved,
    quantityAvailable: quantityOnHand - quantityReserved,
    active,
    deactivationReason,
    version: recorded.revision,
    createdPosition: view.createdPosition,
    position: recorded.position,
    createdAt: view.createdAt,
    updatedAt: occurredAt(recorded),
  };
}

export const inventoryItemViewDefinition: DocumentProjectionDefinition<InventoryItemView> = {
  name: INVENTORY_ITEM_VIEW,
  eventTypes: inventoryItemEventTypes,
  categories: new Set([INVENTORY_ITEM_CATEGORY]),
  check: checkShopEvent,
  documentId: (event) => event.streamName.slice(INVENTORY_ITEM_CATEGORY.length + 1),
  evolve: (view, event) => (streamCategory(event.streamName) === INVENTORY_ITEM_CATEGORY ? evolveInventoryItemView(view, event) : view),
};
