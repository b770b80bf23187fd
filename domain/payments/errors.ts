import { DomainError } from '../errors';
import type { PaymentStatus } from './payment';

/** The command is valid but the payment's status does not allow it. */
export class PaymentStateError extends DomainError.withCode('INVALID_PAYMENT_STATE') {
  constructor(
    readonly paymentId: string,
    readonly status: PaymentStatus,
    reason: string,
  ) {
    super(`Payment ${paymentId} is ${status}: ${reason}`);
  }
}
