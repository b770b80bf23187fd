import type { NotificationMessage } from './events';

/** A message is due to the customer; the message id derives from the event that made it due. */
export interface RequestNotification extends NotificationMessage {
  readonly type: 'RequestNotification';
}
/** The notifier accepted the message. */
export interface RecordNotificationSent {
  readonly type: 'RecordNotificationSent';
  readonly messageId: string;
  readonly deliveryReference: string;
}
/** A delivery attempt failed; once `maxAttempts` have failed, the message is given up. */
export interface RecordDeliveryFailure {
  readonly type: 'RecordDeliveryFailure';
  readonly messageId: string;
  readonly error: string;
  readonly maxAttempts: number;
}

export type NotificationCommand = RequestNotification | RecordNotificationSent | RecordDeliveryFailure;
