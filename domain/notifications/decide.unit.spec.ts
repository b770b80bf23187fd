import { AlreadyExistsError, NotFoundError } from '../errors';
import { deciderSpecification } from '../testing/deciderSpecification';
import { itRejectsInvalidInput } from '../testing/invalidInputCases';
import type { RecordDeliveryFailure, RequestNotification } from './commands';
import { notificationDecider } from './decide';
import { NotificationStateError } from './errors';
import type { NotificationEvent } from './events';
import { isNotificationEvent, notificationEventTypes } from './events';
import { NOTIFICATION_ERROR_MAX_LENGTH, evolveNotification, initialNotification } from './notification';

const given = deciderSpecification(notificationDecider);
const messageId = 'message-1';
const customerId = 'customer-1';
const request: RequestNotification = {
  type: 'RequestNotification',
  messageId,
  customerId,
  orderId: 'order-1',
  kind: 'orderConfirmed',
  subject: 'Your order is confirmed',
  body: 'Thank you.',
};
const requested: NotificationEvent = {
  type: 'NotificationRequested',
  data: { messageId, customerId, orderId: 'order-1', kind: 'orderConfirmed', subject: 'Your order is confirmed', body: 'Thank you.' },
};
const failed = (attempt: number, error = 'mailbox full'): NotificationEvent => ({
  type: 'NotificationDeliveryFailed',
  data: { messageId, customerId, attempt, error },
});
const sent = (attempt: number): NotificationEvent => ({
  type: 'NotificationSent',
  data: { messageId, customerId, attempt, deliveryReference: 'ref-1' },
});
const givenUp = (attempts: number, lastError = 'mailbox full'): NotificationEvent => ({
  type: 'NotificationGivenUp',
  data: { messageId, customerId, attempts, lastError },
});

const recordSent = { type: 'RecordNotificationSent', messageId, deliveryReference: 'ref-1' } as const;
const recordFailure: RecordDeliveryFailure = { type: 'RecordDeliveryFailure', messageId, error: 'mailbox full', maxAttempts: 3 };

describe('notification', () => {
  describe('request', () => {
    it('requests a message with its text', () => {
      given([]).when(request).then([requested]);
    });

    it('treats the same request again as done, whatever became of the message', () => {
      given([requested]).when(request).then([]);
      given([requested, sent(1)])
        .when(request)
        .then([]);
      given([requested, failed(1), failed(2), failed(3), givenUp(3)])
        .when(request)
        .then([]);
    });

    it('refuses the same message id with different content', () => {
      given([requested])
        .when({ ...request, body: 'Something else.' })
        .thenThrows(AlreadyExistsError, { code: 'ALREADY_EXISTS' });
    });

    itRejectsInvalidInput(given([]), request, [
      ['a blank subject', { subject: ' ' }, 'subject'],
      ['a blank body', { body: '' }, 'body'],
      ['a blank customer', { customerId: '' }, 'customerId'],
      ['a subject that is too long', { subject: 'x'.repeat(201) }, 'subject'],
    ]);
  });

  describe('sent', () => {
    it('records the delivery with its attempt number', () => {
      given([requested])
        .when(recordSent)
        .then([sent(1)]);
      given([requested, failed(1)])
        .when(recordSent)
        .then([sent(2)]);
    });

    it('treats the same delivery reported again as done', () => {
      given([requested, sent(1)])
        .when(recordSent)
        .then([]);
    });

    it('never records a second, different delivery', () => {
      given([requested, sent(1)])
        .when({ ...recordSent, deliveryReference: 'ref-2' })
        .thenThrows(NotificationStateError, { code: 'INVALID_NOTIFICATION_STATE', status: 'sent' });
    });

    it('cannot send a message that was given up', () => {
      given([requested, failed(1), givenUp(1)])
        .when(recordSent)
        .thenThrows(NotificationStateError, { status: 'givenUp' });
    });

    it('rejects an unknown message', () => {
      given([]).when(recordSent).thenThrows(NotFoundError, { code: 'NOT_FOUND' });
    });
  });

  describe('delivery failure', () => {
    it('records each failed attempt, counting up', () => {
      given([requested])
        .when(recordFailure)
        .then([failed(1)]);
      given([requested, failed(1)])
        .when(recordFailure)
        .then([failed(2)]);
    });

    it('gives up once the last allowed attempt failed', () => {
      given([requested, failed(1), failed(2)])
        .when(recordFailure)
        .then([failed(3), givenUp(3)]);
    });

    it('gives up at once when only one attempt is allowed', () => {
      given([requested])
        .when({ ...recordFailure, maxAttempts: 1 })
        .then([failed(1), givenUp(1)]);
    });

    it('cuts a long error to the stored limit', () => {
      const decided = notificationDecider.decide(
        { ...recordFailure, error: 'e'.repeat(NOTIFICATION_ERROR_MAX_LENGTH * 3) },
        [requested].reduce(evolveNotification, initialNotification()),
      );
      expect(decided).toHaveLength(1);
      expect((decided[0]!.data as { error: string }).error).toHaveLength(NOTIFICATION_ERROR_MAX_LENGTH);
    });

    it.each([
      ['sent', [requested, sent(1)]],
      ['givenUp', [requested, failed(1), givenUp(1)]],
    ])('refuses a failure for a %s message: delivery is settled', (status, history) => {
      given(history).when(recordFailure).thenThrows(NotificationStateError, { status });
    });

    itRejectsInvalidInput(given([requested]), recordFailure, [
      ['a blank error', { error: '  ' }, 'error'],
      ['no attempts allowed', { maxAttempts: 0 }, 'maxAttempts'],
    ]);

    it('rejects an unknown message', () => {
      given([]).when(recordFailure).thenThrows(NotFoundError);
    });
  });

  it('keeps the last error through giving up', () => {
    const state = [requested, failed(1, 'first'), failed(2, 'second'), givenUp(2, 'second')].reduce(
      evolveNotification,
      initialNotification(),
    );
    expect(state).toMatchObject({ status: 'givenUp', failedAttempts: 2, lastError: 'second' });
  });

  it('recognises its own events only', () => {
    expect([...notificationEventTypes].every((type) => isNotificationEvent({ type }))).toBe(true);
    expect(isNotificationEvent({ type: 'OrderConfirmed' })).toBe(false);
  });
});
