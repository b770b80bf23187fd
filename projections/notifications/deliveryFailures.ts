/**
 * Messages whose delivery failed at least once, for the admin: one document per message, created by
 * its first failure, so the documents iterate in `$all` order of first failures.
 */
import { assertNever } from '../../domain/decider';
import type { NotificationEvent } from '../../domain/notifications';
import { NOTIFICATION_CATEGORY } from '../../domain/notifications';
import type { RecordedEvent } from '../../eventStore/port';
import type { DocumentProjectionDefinition } from '../projection';
import { occurredAt } from '../projection';
import { checkNotificationEvent } from './notificationEventCheck';

export interface DeliveryAttemptFailure {
  readonly attempt: number;
  readonly error: string;
  readonly at: string;
}

/** RETRYING: another attempt follows; GIVEN_UP: none will; DELIVERED: a later attempt succeeded. */
export type DeliveryFailureStatus = 'RETRYING' | 'GIVEN_UP' | 'DELIVERED';

export interface DeliveryFailureView {
  readonly messageId: string;
  readonly customerId: string;
  readonly status: DeliveryFailureStatus;
  readonly failures: readonly DeliveryAttemptFailure[];
  readonly lastError: string;
  /** Revision of the last event of the message's stream applied; an event at or below it is skipped. */
  readonly revision: number;
  /** `$all` position of the first failure: the paging key. */
  readonly firstFailedPosition: bigint;
  readonly position: bigint;
  readonly updatedAt: string;
}

export const DELIVERY_FAILURES = 'notificationDeliveryFailures';

const deliveryFailureEventTypes: ReadonlySet<string> = new Set<NotificationEvent['type']>([
  'NotificationDeliveryFailed',
  'NotificationGivenUp',
  'NotificationSent',
]);

export function evolveDeliveryFailure(view: DeliveryFailureView | null, recorded: RecordedEvent): DeliveryFailureView | null {
  if (view !== null && recorded.revision <= view.revision) return view;
  const event = recorded as unknown as NotificationEvent;
  const at = occurredAt(recorded);
  switch (event.type) {
    case 'NotificationDeliveryFailed': {
      const failure = { attempt: event.data.attempt, error: event.data.error, at };
      if (view === null) {
        return {
          messageId: event.data.messageId,
          customerId: event.data.customerId,
          status: 'RETRYING',
          failures: [failure],
          lastError: failure.error,
          revision: recorded.revision,
          firstFailedPosition: recorded.position,
          position: recorded.position,
          updatedAt: at,
        };
      }
      return {
        ...view,
        failures: [...view.failures, failure],
        lastError: failure.error,
        revision: recorded.revision,
        position: recorded.position,
        updatedAt: at,
      };
    }
    case 'NotificationGivenUp':
    case 'NotificationSent':
      // A message that never failed is none of this read model's business.
      if (view === null) return null;
      return {
        ...view,
        status: event.type === 'NotificationGivenUp' ? 'GIVEN_UP' : 'DELIVERED',
        revision: recorded.revision,
        position: recorded.position,
        updatedAt: at,
      };
    case 'NotificationRequested':
      return view;
    default:
      return assertNever(event);
  }
}

export const deliveryFailuresDefinition: DocumentProjectionDefinition<DeliveryFailureView> = {
  name: DELIVERY_FAILURES,
  eventTypes: deliveryFailureEventTypes,
  categories: new Set([NOTIFICATION_CATEGORY]),
  check: checkNotificationEvent,
  documentId: (event) => String(event.data.messageId),
  evolve: evolveDeliveryFailure,
};
