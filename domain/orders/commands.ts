export interface OrderLineInput {
  readonly itemId: string;
  readonly sku: string;
  readonly name: string;
  readonly quantity: number;
  readonly unitPriceCents: number;
}

import type { DeliveryAddress } from './deliveryAddress';

export type OrderCanceller = 'customer' | 'system';

export interface PlaceOrder {
  readonly type: 'PlaceOrder';
  readonly orderId: string;
  readonly customerId: string;
  /** The payment provider's token for the customer's payment method (never card data). */
  readonly paymentMethodToken: string;
  readonly lines: readonly OrderLineInput[];
  /** null: to be collected, or not given. */
  readonly deliveryAddress: DeliveryAddress | null;
}
/** Every line's stock is reserved: the order now waits for payment. */
export interface MarkOrderStockReserved {
  readonly type: 'MarkOrderStockReserved';
  readonly orderId: string;
}
/** Stock could not be reserved: the order ends before payment is requested. */
export interface RejectOrder {
  readonly type: 'RejectOrder';
  readonly orderId: string;
  readonly reason: string;
}
/** Payment is captured. */
export interface ConfirmOrder {
  readonly type: 'ConfirmOrder';
  readonly orderId: string;
}
export interface CancelOrder {
  readonly type: 'CancelOrder';
  readonly orderId: string;
  readonly reason: string;
  readonly cancelledBy: OrderCanceller;
}
export interface ShipOrder {
  readonly type: 'ShipOrder';
  readonly orderId: string;
}

export type OrderCommand = PlaceOrder | MarkOrderStockReserved | RejectOrder | ConfirmOrder | CancelOrder | ShipOrder;
