import { InMemoryDocumentStore } from '../documentStore';
import type { RecordedEvent } from '../../eventStore/port';
import { recordedEvents } from '../../test/support/recordedStream';
import { documentProjection } from '../projection';
import type { CustomerNotifications } from './customerNotifications';
import { customerNotificationsDefinition } from './customerNotifications';
import type { DeliveryFailureView } from './deliveryFailures';
import { deliveryFailuresDefinition } from './deliveryFailures';
import { NotificationQueries } from './notificationQueries';

const recordedStream = recordedEvents(9000n);
const at = (minute: number) => `2026-01-01T00:${String(minute).padStart(2, '0')}:00.000Z`;

/** One message's stream, as the notification reaction appends it. */
function aMessage(messageId: string, customerId: string, kind = 'orderConfirmed') {
  const stream = recordedStream(`notification-${messageId}`);
  const append = (type: string, data: Record<string, unknown>, minute: number) =>
    stream(type, data, { occurredAt: at(minute), actor: 'process:notifications' });
  return {
    requested: (minute = 0) =>
      append(
        'NotificationRequested',
        { messageId, customerId, orderId: `order-of-${messageId}`, kind, subject: 'Your order is confirmed', body: 'Thank you.' },
        minute,
      ),
    sent: (attempt = 1, minute = 1) =>
      append('NotificationSent', { messageId, customerId, attempt, deliveryReference: `ref-${messageId}` }, minute),
    failed: (attempt: number, error = 'mailbox unavailable', minute = attempt) =>
      append('NotificationDeliveryFailed', { messageId, customerId, attempt, error }, minute),
    givenUp: (attempts: number, lastError = 'mailbox unavailable', minute = 9) =>
      append('NotificationGivenUp', { messageId, customerId, attempts, lastError }, minute),
  };
}

function readSide() {
  const customers = new InMemoryDocumentStore<CustomerNotifications>();
  const failures = new InMemoryDocumentStore<DeliveryFailureView>();
  const projections = [
    documentProjection(customerNotificationsDefinition, customers),
    documentProjection(deliveryFailuresDefinition, failures),
  ];
  const apply = (events: readonly RecordedEvent[]) =>
    events.flatMap((event) =>
      projections.filter((projection) => projection.handles(event.type)).flatMap((projection) => projection.apply(event)),
    );
  return { customers, failures, apply, queries: new NotificationQueries(customers, failures) };
}

describe('notification projections', () => {
  it("folds a customer's messages, each with its delivery status", () => {
    const confirmed = aMessage('m1', 'alice');
    const shipped = aMessage('m2', 'alice', 'orderShipped');
    const history = [confirmed.requested(), shipped.requested(2), confirmed.sent(1, 3), shipped.failed(1, 'busy', 4)];
    const { customers, apply } = readSide();
    apply(history);
    const document = customers.get('alice')!;
    expect(
      document.notifications.map(({ id, kind, status, failedAttempts, lastError, sentAt }) => ({
        id,
        kind,
        status,
        failedAttempts,
        lastError,
        sentAt,
      })),
    ).toEqual([
      { id: 'm1', kind: 'ORDER_CONFIRMED', status: 'SENT', failedAttempts: 0, lastError: null, sentAt: at(3) },
      { id: 'm2', kind: 'ORDER_SHIPPED', status: 'PENDING', failedAttempts: 1, lastError: 'busy', sentAt: null },
    ]);
    expect(document.lastChangedId).toBe('m2');
  });

  it('is idempotent: replaying every event again changes nothing and publishes nothing', () => {
    const message = aMessage('m3', 'bob');
    const history = [message.requested(), message.failed(1), message.failed(2), message.givenUp(2)];
    const { customers, failures, apply } = readSide();
    expect(apply(history).length).toBeGreaterThan(0);
    const once = { customer: customers.get('bob'), failure: failures.get('m3') };
    expect(apply(history)).toEqual([]);
    expect({ customer: customers.get('bob'), failure: failures.get('m3') }).toEqual(once);
  });

  it('publishes each change under the customer id, so a subscriber is woken only for its own customer', () => {
    const { apply } = readSide();
    const changes = apply([aMessage('m4', 'alice').requested(), aMessage('m5', 'bob').requested()]);
    expect(changes.filter((change) => change.projection === customerNotificationsDefinition.name).map((change) => change.id)).toEqual([
      'alice',
      'bob',
    ]);
  });

  it('keeps each customer to their own messages', () => {
    const { queries, apply } = readSide();
    apply([aMessage('m6', 'alice').requested(), aMessage('m7', 'bob').requested(), aMessage('m8', 'alice').requested()]);
    expect(queries.ofCustomer('alice', {}).edges.map((edge) => edge.node.id)).toEqual(['m6', 'm8']);
    expect(queries.ofCustomer('bob', {}).edges.map((edge) => edge.node.id)).toEqual(['m7']);
    expect(queries.ofCustomer('carol', {}).edges).toEqual([]);
    expect(queries.ofCustomerById('bob', 'm6')).toBeNull();
    expect(queries.ofCustomerById('alice', 'm6')?.id).toBe('m6');
  });

  it("pages a customer's messages, oldest first", () => {
    const { queries, apply } = readSide();
    apply(Array.from({ length: 5 }, (_, index) => aMessage(`p${index}`, 'dave').requested()));
    const first = queries.ofCustomer('dave', { first: 2 });
    expect(first.edges.map((edge) => edge.node.id)).toEqual(['p0', 'p1']);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const next = queries.ofCustomer('dave', { first: 2, after: first.pageInfo.endCursor });
    expect(next.edges.map((edge) => edge.node.id)).toEqual(['p2', 'p3']);
    expect(first.totalCount()).toBe(5);
  });

  it('lists delivery failures for the admin, by status, in the order they first failed', () => {
    const retrying = aMessage('f1', 'alice');
    const abandoned = aMessage('f2', 'bob');
    const recovered = aMessage('f3', 'carol');
    const fine = aMessage('f4', 'dave');
    const { queries, apply } = readSide();
    apply([
      retrying.requested(),
      abandoned.requested(),
      recovered.requested(),
      fine.requested(),
      abandoned.failed(1),
      retrying.failed(1, 'busy'),
      recovered.failed(1, 'busy'),
      abandoned.failed(2),
      abandoned.givenUp(2),
      recovered.sent(2),
      fine.sent(1),
    ]);
    const all = queries.deliveryFailures({}, {}).edges.map((edge) => edge.node);
    expect(
      all.map(({ messageId, status, failures }) => ({ messageId, status, attempts: failures.map((failure) => failure.attempt) })),
    ).toEqual([
      { messageId: 'f2', status: 'GIVEN_UP', attempts: [1, 2] },
      { messageId: 'f1', status: 'RETRYING', attempts: [1] },
      { messageId: 'f3', status: 'DELIVERED', attempts: [1] },
    ]);
    expect(queries.deliveryFailures({ status: ['GIVEN_UP'] }, {}).edges.map((edge) => edge.node.messageId)).toEqual(['f2']);
  });

  it('refuses a notification event that does not match its schema', () => {
    const malformed = { ...aMessage('x1', 'alice').requested(), data: { messageId: 'x1' } };
    expect(customerNotificationsDefinition.check(malformed)).toMatch(/NotificationRequested does not match its schema/);
    expect(customerNotificationsDefinition.check(aMessage('x2', 'alice').requested())).toBeNull();
  });
});
