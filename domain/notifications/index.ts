import { defineAggregate, type Aggregate } from '../aggregate';
import type { NotificationCommand } from './commands';
import { notificationDecider } from './decide';
import { notificationEventSchemas, type NotificationEvent } from './events';
import type { Notification } from './notification';
import { notificationEventVersioning } from './upcasters';
export * from './commands';
export * from './events';
export * from './errors';
export * from './notification';
export * from './notifier';
export * from './orderNotifications';
export * from './simulatedMailDecision';
export { notificationEventVersioning } from './upcasters';
export { notificationDecider, decideNotification } from './decide';

/** Streams of this aggregate are named `notification-<messageId>`: one stream per message. */
export const NOTIFICATION_CATEGORY = 'notification';
export const notificationStreamName = (messageId: string): string => `${NOTIFICATION_CATEGORY}-${messageId}`;

/** What the command router needs to decide a notification command on its stream. */
export const notificationAggregate: Aggregate<Notification, NotificationCommand, NotificationEvent> = defineAggregate(
  NOTIFICATION_CATEGORY,
  notificationDecider,
  { schemas: notificationEventSchemas, versioning: notificationEventVersioning },
  (command) => notificationStreamName(command.messageId),
);
