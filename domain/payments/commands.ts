export interface RequestPayment {
  readonly type: 'RequestPayment';
  /** One payment per order: the payment id is the order id. */
  readonly paymentId: string;
  readonly orderId: string;
  readonly customerId: string;
  readonly amountCents: number;
  readonly paymentMethodToken: string;
}
/** The provider captured the amount. */
export interface RecordPaymentCaptured {
  readonly type: 'RecordPaymentCaptured';
  readonly paymentId: string;
  readonly providerReference: string;
}
/** The provider declined the charge. */
export interface RecordPaymentDeclined {
  readonly type: 'RecordPaymentDeclined';
  readonly paymentId: string;
  readonly reason: string;
}
/** Compensation: give a captured amount back, e.g. when a paid order is cancelled. */
export interface RefundPayment {
  readonly type: 'RefundPayment';
  readonly paymentId: string;
  readonly reason: string;
}

export type PaymentCommand = RequestPayment | RecordPaymentCaptured | RecordPaymentDeclined | RefundPayment;
