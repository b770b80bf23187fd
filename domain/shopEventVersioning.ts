import type { EventVersioning } from './eventVersioning';
import { INVENTORY_ITEM_CATEGORY } from './inventory';
import { inventoryItemEventVersioning } from './inventory/upcasters';
import { ORDER_CATEGORY } from './orders';
import { orderEventVersioning } from './orders/upcasters';
import { PAYMENT_CATEGORY } from './payments';
import { paymentEventVersioning } from './payments/upcasters';

/** Each aggregate's event versions, by the category of its streams (an event type belongs to its aggregate). */
export const shopEventVersioning: ReadonlyMap<string, EventVersioning> = new Map([
  [INVENTORY_ITEM_CATEGORY, inventoryItemEventVersioning],
  [ORDER_CATEGORY, orderEventVersioning],
  [PAYMENT_CATEGORY, paymentEventVersioning],
]);
