import { checkEvent } from '../../domain/eventSchema';
import { notificationEventSchemas, notificationEventVersioning } from '../../domain/notifications';
import type { RecordedEvent } from '../../eventStore/port';

/**
 * Why a notification event must not be applied (its type is not one of the notification's, its
 * version is newer than known, or its data fails its schema), or null. `checkShopEvent` knows the
 * shop's core aggregates only; a capability's own projections check their aggregate's events here.
 */
export function checkNotificationEvent(event: RecordedEvent): string | null {
  const checked = checkEvent(notificationEventSchemas, event, notificationEventVersioning.currentVersions);
  return checked.valid ? null : checked.reason;
}
