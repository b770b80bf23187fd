import { z } from 'zod';
import type { DomainEvent } from '../decider';
import type { EventSchemas } from '../eventSchema';

// Stored event type names: explicit and never renamed in place. A changed shape gets a new version
// or a new name, and an upcaster from the old one (upcasters.ts).
export type InventoryItemCreated = DomainEvent<
  'InventoryItemCreated',
  { readonly itemId: string; readonly sku: string; readonly name: string; readonly unitPriceCents: number | null }
>;
export type InventoryItemRenamed = DomainEvent<'InventoryItemRenamed', { readonly itemId: string; readonly name: string }>;
/** Stock arrived. Stored as `ItemsCheckedIntoInventory` until it was renamed; those are read as this (upcasters.ts). */
export type ItemsCheckedIn = DomainEvent<'ItemsCheckedIn', { readonly itemId: string; readonly count: number }>;
export type ItemsRemovedFromInventory = DomainEvent<'ItemsRemovedFromInventory', { readonly itemId: string; readonly count: number }>;
export type InventoryItemDeactivated = DomainEvent<'InventoryItemDeactivated', { readonly itemId: string; readonly reason: string | null }>;
/** Stock set aside for an order: no longer available, still on hand. */
export type StockReserved = DomainEvent<'StockReserved', { readonly itemId: string; readonly orderId: string; readonly quantity: number }>;
export type StockReservationReleased = DomainEvent<
  'StockReservationReleased',
  { readonly itemId: string; readonly orderId: string; readonly quantity: number }
>;
/** The reserved stock left the warehouse with the order. */
export type ReservedStockShipped = DomainEvent<
  'ReservedStockShipped',
  { readonly itemId: string; readonly orderId: string; readonly quantity: number }
>;

export type InventoryItemEvent =
  | InventoryItemCreated
  | InventoryItemRenamed
  | ItemsCheckedIn
  | ItemsRemovedFromInventory
  | InventoryItemDeactivated
  | StockReserved
  | StockReservationReleased
  | ReservedStockShipped;

export const inventoryItemEventTypes: ReadonlySet<string> = new Set<InventoryItemEvent['type']>([
  'InventoryItemCreated',
  'InventoryItemRenamed',
  'ItemsCheckedIn',
  'ItemsRemovedFromInventory',
  'InventoryItemDeactivated',
  'StockReserved',
  'StockReservationReleased',
  'ReservedStockShipped',
]);

export function isInventoryItemEvent(event: { readonly type: string }): event is InventoryItemEvent {
  return inventoryItemEventTypes.has(event.type);
}

// Schemas of the stored shapes: what any writer's event must look like before it is folded.
const id = z.string().min(1);
const count = z.number().int().positive();

export const inventoryItemEventSchemas: EventSchemas<InventoryItemEvent> = {
  InventoryItemCreated: z.object({
    itemId: id,
    sku: z.string().min(1),
    name: z.string().min(1),
    unitPriceCents: z.number().int().nonnegative().nullable(),
  }),
  InventoryItemRenamed: z.object({ itemId: id, name: z.string().min(1) }),
  ItemsCheckedIn: z.object({ itemId: id, count }),
  ItemsRemovedFromInventory: z.object({ itemId: id, count }),
  InventoryItemDeactivated: z.object({ itemId: id, reason: z.string().nullable() }),
  StockReserved: z.object({ itemId: id, orderId: id, quantity: count }),
  StockReservationReleased: z.object({ itemId: id, orderId: id, quantity: count }),
  ReservedStockShipped: z.object({ itemId: id, orderId: id, quantity: count }),
};
