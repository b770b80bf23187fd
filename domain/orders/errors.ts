import { DomainError } from '../errors';
import type { OrderStatus } from './order';

/** The command is valid but the order's status does not allow it. */
export class OrderStateError extends DomainError.withCode('INVALID_ORDER_STATE') {
  constructor(
    readonly orderId: string,
    readonly status: OrderStatus,
    reason: string,
  ) {
    super(`Order ${orderId} is ${status}: ${reason}`);
  }
}
