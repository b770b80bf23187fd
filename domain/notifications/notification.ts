import { assertNever } from '../decider';
import type { NotificationEvent, NotificationMessage } from './events';

export const NOTIFICATION_ID_MAX_LENGTH = 200;
export const NOTIFICATION_SUBJECT_MAX_LENGTH = 200;
export const NOTIFICATION_BODY_MAX_LENGTH = 5000;
/** A notifier's error text, kept whole enough to diagnose, short enough to store in every failure. */
export const NOTIFICATION_ERROR_MAX_LENGTH = 500;
export const NOTIFICATION_MAX_ATTEMPTS_LIMIT = 100;

/** requested (failedAttempts counting up) → sent, or → givenUp. */
export type Notification =
  | { readonly status: 'notRequested' }
  | ({ readonly status: 'requested'; readonly failedAttempts: number; readonly lastError: string | null } & NotificationMessage)
  | ({
      readonly status: 'sent';
      readonly failedAttempts: number;
      readonly lastError: string | null;
      readonly deliveryReference: string;
    } & NotificationMessage)
  | ({ readonly status: 'givenUp'; readonly failedAttempts: number; readonly lastError: string } & NotificationMessage);

export type NotificationStatus = Notification['status'];

export const initialNotification = (): Notification => ({ status: 'notRequested' });

export function evolveNotification(state: Notification, event: NotificationEvent): Notification {
  if (event.type === 'NotificationRequested') {
    if (state.status !== 'notRequested') return state;
    const { messageId, customerId, orderId, kind, subject, body } = event.data;
    return { status: 'requested', failedAttempts: 0, lastError: null, messageId, customerId, orderId, kind, subject, body };
  }
  if (state.status !== 'requested') return state;
  switch (event.type) {
    case 'NotificationSent':
      return { ...state, status: 'sent', deliveryReference: event.data.deliveryReference };
    case 'NotificationDeliveryFailed':
      return { ...state, failedAttempts: event.data.attempt, lastError: event.data.error };
    case 'NotificationGivenUp':
      return { ...state, status: 'givenUp', lastError: event.data.lastError };
    default:
      return assertNever(event);
  }
}
