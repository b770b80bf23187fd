import { eventVersioning } from '../eventVersioning';
import type { NotificationEvent } from './events';

/** Current version of each notification event type: every shape is still its first. */
export const notificationEventVersioning = eventVersioning(
  {
    NotificationRequested: 1,
    NotificationSent: 1,
    NotificationDeliveryFailed: 1,
    NotificationGivenUp: 1,
  } satisfies Record<NotificationEvent['type'], number>,
  [],
);
