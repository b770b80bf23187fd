import type { Decider } from '../decider';
import { assertNever } from '../decider';
import { AlreadyExistsError, InvalidInputError, NotFoundError } from '../errors';
import { checkEvent } from '../eventSchema';
import { requirePositiveCount, requireText } from '../validation';
import type { NotificationCommand, RecordDeliveryFailure, RecordNotificationSent, RequestNotification } from './commands';
import { NotificationStateError } from './errors';
import type { NotificationEvent } from './events';
import { notificationEventSchemas } from './events';
import type { Notification } from './notification';
import {
  NOTIFICATION_BODY_MAX_LENGTH,
  NOTIFICATION_ERROR_MAX_LENGTH,
  NOTIFICATION_ID_MAX_LENGTH,
  NOTIFICATION_MAX_ATTEMPTS_LIMIT,
  NOTIFICATION_SUBJECT_MAX_LENGTH,
  evolveNotification,
  initialNotification,
} from './notification';
import { notificationEventVersioning } from './upcasters';

type Requested = Exclude<Notification, { status: 'notRequested' }>;

function requireRequested(state: Notification, messageId: string): Requested {
  if (state.status === 'notRequested') throw new NotFoundError(`Notification ${messageId} not found`);
  return state;
}

export function requestNotification(command: RequestNotification, state: Notification): NotificationEvent[] {
  const message = {
    messageId: command.messageId,
    customerId: requireText(command.customerId, 'customerId', NOTIFICATION_ID_MAX_LENGTH),
    orderId: requireText(command.orderId, 'orderId', NOTIFICATION_ID_MAX_LENGTH),
    kind: command.kind,
    subject: requireText(command.subject, 'subject', NOTIFICATION_SUBJECT_MAX_LENGTH),
    body: requireText(command.body, 'body', NOTIFICATION_BODY_MAX_LENGTH),
  };
  if (state.status !== 'notRequested') {
    // One message per id: the same request again is done already, whatever became of the message since.
    const repeated = (['customerId', 'orderId', 'kind', 'subject', 'body'] as const).every((field) => state[field] === message[field]);
    if (repeated) return [];
    throw new AlreadyExistsError(`Notification ${command.messageId} was already requested with different content`);
  }
  return [{ type: 'NotificationRequested', data: message }];
}

export function recordNotificationSent(command: RecordNotificationSent, state: Notification): NotificationEvent[] {
  const deliveryReference = requireText(command.deliveryReference, 'deliveryReference', NOTIFICATION_ID_MAX_LENGTH);
  const notification = requireRequested(state, command.messageId);
  switch (notification.status) {
    case 'requested':
      return [
        {
          type: 'NotificationSent',
          data: {
            messageId: notification.messageId,
            customerId: notification.customerId,
            attempt: notification.failedAttempts + 1,
            deliveryReference,
          },
        },
      ];
    case 'sent':
      // The same delivery reported again is done already; a second, different delivery is never recorded.
      if (notification.deliveryReference === deliveryReference) return [];
      throw new NotificationStateError(command.messageId, notification.status, 'the message was already sent');
    case 'givenUp':
      throw new NotificationStateError(command.messageId, notification.status, 'delivery was given up');
    default:
      return assertNever(notification);
  }
}

/** An error text of any length (a notifier's answer) is kept, cut to the stored limit. */
function errorText(error: string): string {
  const trimmed = error.trim();
  if (trimmed.length === 0) throw new InvalidInputError('error must not be blank', 'error');
  return trimmed.length <= NOTIFICATION_ERROR_MAX_LENGTH ? trimmed : `${trimmed.slice(0, NOTIFICATION_ERROR_MAX_LENGTH - 1)}…`;
}

export function recordDeliveryFailure(command: RecordDeliveryFailure, state: Notification): NotificationEvent[] {
  const error = errorText(command.error);
  const maxAttempts = requirePositiveCount(command.maxAttempts, 'maxAttempts', NOTIFICATION_MAX_ATTEMPTS_LIMIT);
  const notification = requireRequested(state, command.messageId);
  switch (notification.status) {
    case 'requested': {
      const { messageId, customerId } = notification;
      const attempt = notification.failedAttempts + 1;
      const failed: NotificationEvent = { type: 'NotificationDeliveryFailed', data: { messageId, customerId, attempt, error } };
      if (attempt < maxAttempts) return [failed];
      return [failed, { type: 'NotificationGivenUp', data: { messageId, customerId, attempts: attempt, lastError: error } }];
    }
    case 'sent':
    case 'givenUp':
      // A late failure report (e.g. from an attempt that overlapped a successful one) changes nothing that is settled.
      throw new NotificationStateError(command.messageId, notification.status, 'delivery is settled');
    default:
      return assertNever(notification);
  }
}

export function decideNotification(command: NotificationCommand, state: Notification): NotificationEvent[] {
  switch (command.type) {
    case 'RequestNotification':
      return requestNotification(command, state);
    case 'RecordNotificationSent':
      return recordNotificationSent(command, state);
    case 'RecordDeliveryFailure':
      return recordDeliveryFailure(command, state);
    default:
      return assertNever(command);
  }
}

export const notificationDecider: Decider<Notification, NotificationCommand, NotificationEvent> = {
  initialState: initialNotification,
  evolve: evolveNotification,
  decide: decideNotification,
  checkEvent: (stored) => checkEvent(notificationEventSchemas, stored, notificationEventVersioning.currentVersions),
};
