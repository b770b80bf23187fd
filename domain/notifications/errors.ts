import { DomainError } from '../errors';
import type { NotificationStatus } from './notification';

/** The command is valid but the notification's status does not allow it. */
export class NotificationStateError extends DomainError.withCode('INVALID_NOTIFICATION_STATE') {
  constructor(
    readonly messageId: string,
    readonly status: NotificationStatus,
    reason: string,
  ) {
    super(`Notification ${messageId} is ${status}: ${reason}`);
  }
}
