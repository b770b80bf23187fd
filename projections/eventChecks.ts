/**
 * Where events enter the read side: an event of one of the shop's aggregate streams is applied
 * only if its type is one of that aggregate's and its data matches the type's schema (the same
 * schemas the write side folds with). Streams of other categories are not the shop's aggregates
 * and are left to whichever projection reads them.
 */
import { checkEvent } from '../domain/eventSchema';
import { INVENTORY_ITEM_CATEGORY, inventoryItemEventSchemas } from '../domain/inventory';
import { ORDER_CATEGORY, orderEventSchemas } from '../domain/orders';
import { PAYMENT_CATEGORY, paymentEventSchemas } from '../domain/payments';
import type { RecordedEvent } from '../eventStore/port';
import { streamCategory } from '../eventStore/port';

const schemasByCategory: ReadonlyMap<string, Parameters<typeof checkEvent>[0]> = new Map<string, Parameters<typeof checkEvent>[0]>([
  [INVENTORY_ITEM_CATEGORY, inventoryItemEventSchemas],
  [ORDER_CATEGORY, orderEventSchemas],
  [PAYMENT_CATEGORY, paymentEventSchemas],
]);

/** Why the event must not be applied (it names the event type and what is wrong), or null. */
export function checkShopEvent(event: RecordedEvent): string | null {
  const schemas = schemasByCategory.get(streamCategory(event.streamName));
  if (schemas === undefined) return null;
  const checked = checkEvent(schemas, event);
  return checked.valid ? null : checked.reason;
}
