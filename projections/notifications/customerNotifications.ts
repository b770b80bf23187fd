/**
 * Each customer's messages: one document per customer, so the typed change feed wakes a customer's
 * subscription only for that customer's messages (the channel is indexed by document id).
 */
import { assertNever } from '../../domain/decider';
import type { NotificationEvent, NotificationKind } from '../../domain/notifications';
import { NOTIFICATION_CATEGORY, notificationEventTypes } from '../../domain/notifications';
import type { RecordedEvent } from '../../eventStore/port';
import { changeChannel } from '../changeChannel';
import type { DocumentPositions } from '../documentPositions';
import type { DocumentProjectionDefinition } from '../projection';
import { occurredAt } from '../projection';
import { checkNotificationEvent } from './notificationEventCheck';

/** Spelled as the GraphQL enum values. */
export type NotificationViewKind = 'ORDER_CONFIRMED' | 'ORDER_CANCELLED' | 'ORDER_SHIPPED';
export type NotificationViewStatus = 'PENDING' | 'SENT' | 'GIVEN_UP';

const VIEW_KIND: Readonly<Record<NotificationKind, NotificationViewKind>> = {
  orderConfirmed: 'ORDER_CONFIRMED',
  orderCancelled: 'ORDER_CANCELLED',
  orderShipped: 'ORDER_SHIPPED',
};

/** One message, folded from its own stream. */
export interface NotificationView extends DocumentPositions {
  /** The message id. */
  readonly id: string;
  readonly customerId: string;
  readonly orderId: string;
  readonly kind: NotificationViewKind;
  readonly subject: string;
  readonly body: string;
  readonly status: NotificationViewStatus;
  readonly failedAttempts: number;
  readonly lastError: string | null;
  readonly requestedAt: string;
  readonly sentAt: string | null;
  readonly updatedAt: string;
  /** Revision of the last event of the message's stream applied; an event at or below it is skipped. */
  readonly revision: number;
}

export interface CustomerNotifications {
  readonly customerId: string;
  /** In `$all` order of each message's request: ascending `createdPosition`, as pagination needs. */
  readonly notifications: readonly NotificationView[];
  /** The message the last applied event changed: what a subscriber is shown. */
  readonly lastChangedId: string;
  readonly position: bigint;
}

export const CUSTOMER_NOTIFICATIONS = 'customerNotifications';
export const customerNotificationChanges = changeChannel<CustomerNotifications>(CUSTOMER_NOTIFICATIONS);

function changed(document: CustomerNotifications, index: number, notification: NotificationView): CustomerNotifications {
  const notifications = [...document.notifications];
  notifications[index] = notification;
  return { ...document, notifications, lastChangedId: notification.id, position: notification.position };
}

export function evolveCustomerNotifications(document: CustomerNotifications | null, recorded: RecordedEvent): CustomerNotifications | null {
  const event = recorded as unknown as NotificationEvent;
  const at = occurredAt(recorded);
  const { messageId } = event.data;
  const index = document === null ? -1 : document.notifications.findIndex((notification) => notification.id === messageId);
  const current = index === -1 ? null : document!.notifications[index]!;
  // Idempotent: an event at or below the revision already applied for its message changes nothing.
  if (current !== null && recorded.revision <= current.revision) return document;
  if (event.type === 'NotificationRequested') {
    if (current !== null) return document;
    const { customerId, orderId, kind, subject, body } = event.data;
    const notification: NotificationView = {
      id: messageId,
      customerId,
      orderId,
      kind: VIEW_KIND[kind],
      subject,
      body,
      status: 'PENDING',
      failedAttempts: 0,
      lastError: null,
      requestedAt: at,
      sentAt: null,
      updatedAt: at,
      revision: recorded.revision,
      createdPosition: recorded.position,
      position: recorded.position,
    };
    return {
      customerId,
      notifications: [...(document?.notifications ?? []), notification],
      lastChangedId: messageId,
      position: recorded.position,
    };
  }
  // A message's first event is its request, so it is always here before anything else of it.
  if (document === null || current === null) return document;
  const touched: NotificationView = { ...current, revision: recorded.revision, position: recorded.position, updatedAt: at };
  switch (event.type) {
    case 'NotificationSent':
      return changed(document, index, { ...touched, status: 'SENT', sentAt: at });
    case 'NotificationDeliveryFailed':
      return changed(document, index, { ...touched, failedAttempts: event.data.attempt, lastError: event.data.error });
    case 'NotificationGivenUp':
      return changed(document, index, { ...touched, status: 'GIVEN_UP', lastError: event.data.lastError });
    default:
      return assertNever(event);
  }
}

export const customerNotificationsDefinition: DocumentProjectionDefinition<CustomerNotifications> = {
  name: CUSTOMER_NOTIFICATIONS,
  eventTypes: notificationEventTypes,
  categories: new Set([NOTIFICATION_CATEGORY]),
  check: checkNotificationEvent,
  documentId: (event) => String(event.data.customerId),
  evolve: evolveCustomerNotifications,
};
