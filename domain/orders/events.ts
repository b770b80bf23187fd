import { z } from 'zod';
import type { DomainEvent } from '../decider';
import type { EventSchemas } from '../eventSchema';
import type { OrderCanceller } from './commands';
import type { DeliveryAddress } from './deliveryAddress';

export type { DeliveryAddress } from './deliveryAddress';

/** A line as ordered: a snapshot of the item's sku, name and price at the time of the order. */
export interface OrderLine {
  readonly itemId: string;
  readonly sku: string;
  readonly name: string;
  readonly quantity: number;
  readonly unitPriceCents: number;
}

// Stored event type names: explicit and never renamed in place. A changed shape gets a new version
// or a new name, and an upcaster from the old one (upcasters.ts).
/** Version 2 added `deliveryAddress`; orders placed before it read as `null` (upcasters.ts). */
export type OrderPlaced = DomainEvent<
  'OrderPlaced',
  {
    readonly orderId: string;
    readonly customerId: string;
    readonly paymentMethodToken: string;
    readonly lines: readonly OrderLine[];
    /** Sum of quantity × unitPriceCents over the lines. */
    readonly totalCents: number;
    /** null: to be collected, or no address was given (every order placed before version 2). */
    readonly deliveryAddress: DeliveryAddress | null;
  }
>;
/** Stock for every line is set aside; payment comes next. */
export type OrderStockReserved = DomainEvent<'OrderStockReserved', { readonly orderId: string }>;
/** Stock could not be reserved. Terminal. */
export type OrderRejected = DomainEvent<'OrderRejected', { readonly orderId: string; readonly reason: string }>;
/** Payment is captured; the order can ship. */
export type OrderConfirmed = DomainEvent<'OrderConfirmed', { readonly orderId: string }>;
/** Terminal. Reserved stock is released and a captured payment refunded by the order fulfilment process. */
export type OrderCancelled = DomainEvent<
  'OrderCancelled',
  { readonly orderId: string; readonly reason: string; readonly cancelledBy: OrderCanceller }
>;
/** Terminal. */
export type OrderShipped = DomainEvent<'OrderShipped', { readonly orderId: string }>;

export type OrderEvent = OrderPlaced | OrderStockReserved | OrderRejected | OrderConfirmed | OrderCancelled | OrderShipped;

export const orderEventTypes: ReadonlySet<string> = new Set<OrderEvent['type']>([
  'OrderPlaced',
  'OrderStockReserved',
  'OrderRejected',
  'OrderConfirmed',
  'OrderCancelled',
  'OrderShipped',
]);

export function isOrderEvent(event: { readonly type: string }): event is OrderEvent {
  return orderEventTypes.has(event.type);
}

// Schemas of the stored shapes: what any writer's event must look like before it is folded.
const id = z.string().min(1);
const cents = z.number().int().nonnegative();

const orderLineSchema = z.object({
  itemId: id,
  sku: z.string().min(1),
  name: z.string(),
  quantity: z.number().int().positive(),
  unitPriceCents: cents,
});

const deliveryAddressSchema = z.object({
  recipient: z.string().min(1),
  street: z.string().min(1),
  postalCode: z.string().min(1),
  city: z.string().min(1),
  countryCode: z.string().regex(/^[A-Z]{2}$/),
});

export const orderEventSchemas: EventSchemas<OrderEvent> = {
  OrderPlaced: z.object({
    orderId: id,
    customerId: id,
    paymentMethodToken: z.string(),
    lines: z.array(orderLineSchema).min(1),
    totalCents: cents,
    deliveryAddress: deliveryAddressSchema.nullable(),
  }),
  OrderStockReserved: z.object({ orderId: id }),
  OrderRejected: z.object({ orderId: id, reason: z.string() }),
  OrderConfirmed: z.object({ orderId: id }),
  OrderCancelled: z.object({ orderId: id, reason: z.string(), cancelledBy: z.enum(['customer', 'system']) }),
  OrderShipped: z.object({ orderId: id }),
};
