/**
 * Order messages end to end, on every backend, through the real gateway on a socket: it takes the
 * order, runs its fulfilment, and its notifications capability (registered in
 * server/capabilities/index.ts) sends the messages as a reaction on the single `$all` subscription.
 * Customers read and watch their messages over real HTTP and SSE with real clients; the admin reads
 * delivery failures; a restart on the same store never sends a message twice.
 */
import { SIMULATED_UNDELIVERABLE_MARK, notificationStreamName } from '../../domain/notifications';
import { SCHEMA_VERSION } from '../../domain/eventVersioning';
import { mailLedgerStreamName } from '../../application/notifications/simulatedMailer';
import type { EventStore } from '../../eventStore/port';
import { StreamNotFoundError } from '../../eventStore/errors';
import type { Gateway } from '../../server/gateway';
import { backends } from '../support/backends';
import { createItem, graphql, sseClient, startTestGateway, take, tokenFor } from '../support/gatewayHarness';

const MAX_ATTEMPTS = 2;
const NOTIFICATION_ENV = { PAYMENT_LATENCY_MS: '10', NOTIFICATION_MAX_ATTEMPTS: String(MAX_ATTEMPTS), NOTIFICATION_RETRY_DELAY_MS: '10' };
const NOTIFICATION_FIELDS = 'id customerId orderId kind subject body status failedAttempts lastError';

/** How many times the simulated mailer delivered a message (its ledger records every attempt). */
async function timesSent(store: EventStore, messageId: string): Promise<number> {
  try {
    return (await store.readStream(mailLedgerStreamName(messageId))).filter((attempt) => attempt.data.outcome === 'sent').length;
  } catch (error) {
    if (error instanceof StreamNotFoundError) return 0;
    throw error;
  }
}

describe.each(backends)('order messages to the customer ($name store)', (backend) => {
  let gateway: Gateway;
  let dispose: () => Promise<void>;
  let reopen: () => Promise<EventStore>;

  beforeEach(async () => {
    const created = await backend.create();
    ({ dispose, reopen } = created);
    gateway = await startTestGateway(created.store, NOTIFICATION_ENV);
  });
  afterEach(async () => {
    await gateway.stop();
    await dispose();
  });

  const as = async (customerId: string) => ({ authorization: `Bearer ${await tokenFor('customer', customerId)}` });

  async function stockedItem(sku: string) {
    const { item } = await createItem(gateway.url, sku, `Item ${sku}`, { unitPriceCents: 1500 });
    const stocked = await graphql(gateway.url, 'mutation ($id: ID!) { checkInItems(input: { id: $id, count: 10 }) { revision } }', {
      id: item.id,
    });
    if (stocked.errors) throw new Error(JSON.stringify(stocked.errors));
    return item.id as string;
  }

  async function placeOrder(customerId: string, itemId: string): Promise<string> {
    const placed = await graphql(
      gateway.url,
      'mutation ($input: PlaceOrderInput!) { placeOrder(input: $input) { order { id } } }',
      { input: { lines: [{ itemId, quantity: 1 }], paymentMethodToken: 'tok_visa' } },
      await as(customerId),
    );
    if (placed.errors) throw new Error(JSON.stringify(placed.errors));
    return placed.data!.placeOrder.order.id as string;
  }

  async function watch(customerId: string) {
    const client = sseClient(gateway.url, await tokenFor('customer', customerId));
    const iterator = client.iterate({ query: `subscription { notifications { ${NOTIFICATION_FIELDS} } }` });
    return { iterator, dispose: () => client.dispose() };
  }

  const myNotifications = async (customerId: string, customerIdArgument?: string) =>
    graphql(
      gateway.url,
      `query ($customerId: ID) { notifications(customerId: $customerId, first: 10) { totalCount nodes { ${NOTIFICATION_FIELDS} } } }`,
      customerIdArgument === undefined ? {} : { customerId: customerIdArgument },
      await as(customerId),
    );

  async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const value = await read();
      if (done(value)) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  it("sends the customer's subscription their order confirmation, and no other customer's", async () => {
    const itemId = await stockedItem('MUG-N1');
    const alice = await watch('alice');
    const bob = await watch('bob');
    try {
      const orderId = await placeOrder('alice', itemId);
      // The message as requested, then as sent: each change once, in order.
      const [requested, sent] = (await take(alice.iterator, 2, 15_000)).map((result: any) => result.data.notifications);
      expect(requested).toMatchObject({ customerId: 'alice', orderId, kind: 'ORDER_CONFIRMED', status: 'PENDING' });
      expect(sent).toMatchObject({ id: requested.id, status: 'SENT', subject: 'Your order is confirmed' });
      expect(sent.body).toContain(orderId);

      // Bob's order comes after Alice's: once his message is in, nothing of Alice's reached him before it.
      const bobsOrder = await placeOrder('bob', itemId);
      const [bobsFirst] = (await take(bob.iterator, 1, 15_000)).map((result: any) => result.data.notifications);
      expect(bobsFirst).toMatchObject({ customerId: 'bob', orderId: bobsOrder });

      const read = await myNotifications('alice');
      expect(read.errors).toBeUndefined();
      expect(read.data!.notifications.totalCount).toBe(1);
      expect(read.data!.notifications.nodes[0]).toMatchObject({ id: requested.id, status: 'SENT' });
    } finally {
      await alice.dispose();
      await bob.dispose();
    }
  });

  it('tells the customer when the order ships, and why it was cancelled', async () => {
    const itemId = await stockedItem('MUG-N2');
    const shipped = await placeOrder('carol', itemId);
    await eventually(
      () => myNotifications('carol'),
      (read) => read.data?.notifications.nodes[0]?.status === 'SENT',
      'the confirmation',
    );
    const shipping = await graphql(gateway.url, 'mutation ($id: ID!) { shipOrder(input: { id: $id }) { order { status } } }', {
      id: shipped,
    });
    expect(shipping.errors).toBeUndefined();
    const cancelled = await placeOrder('carol', itemId);
    await eventually(
      () => myNotifications('carol'),
      (read) => read.data?.notifications.nodes.some((node: any) => node.orderId === cancelled && node.status === 'SENT'),
      'the second confirmation',
    );
    const cancelling = await graphql(
      gateway.url,
      'mutation ($id: ID!) { cancelOrder(input: { id: $id, reason: "found it cheaper" }) { order { status } } }',
      { id: cancelled },
      await as('carol'),
    );
    expect(cancelling.errors).toBeUndefined();

    const read = await eventually(
      () => myNotifications('carol'),
      (result) => result.data?.notifications.nodes.filter((node: any) => node.status === 'SENT').length === 4,
      'four messages sent',
    );
    expect(read.data!.notifications.nodes.map((node: any) => [node.orderId, node.kind])).toEqual([
      [shipped, 'ORDER_CONFIRMED'],
      [shipped, 'ORDER_SHIPPED'],
      [cancelled, 'ORDER_CONFIRMED'],
      [cancelled, 'ORDER_CANCELLED'],
    ]);
    expect(read.data!.notifications.nodes[3].body).toContain('found it cheaper');
  });

  it("never shows a customer another customer's messages", async () => {
    const itemId = await stockedItem('MUG-N3');
    await placeOrder('dave', itemId);
    await eventually(
      () => myNotifications('dave'),
      (read) => read.data?.notifications.totalCount === 1,
      "dave's message",
    );

    expect((await myNotifications('erin')).data!.notifications.totalCount).toBe(0);
    const prying = await myNotifications('erin', 'dave');
    expect(prying.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const adminRead = await graphql(gateway.url, 'query { notifications(customerId: "dave") { totalCount } }');
    expect(adminRead.data!.notifications.totalCount).toBe(1);
    const anonymous = await graphql(gateway.url, 'query { notifications { totalCount } }', {}, { authorization: '' });
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('shows the admin a message given up after every attempt failed, and no customer may see the failures', async () => {
    const itemId = await stockedItem('MUG-N4');
    const customerId = `frank-${SIMULATED_UNDELIVERABLE_MARK}`;
    const orderId = await placeOrder(customerId, itemId);
    const failures = await eventually(
      () =>
        graphql(
          gateway.url,
          'query { notificationDeliveryFailures(status: [GIVEN_UP]) { totalCount nodes { messageId customerId status lastError failures { attempt error } } } }',
        ),
      (read) => read.data?.notificationDeliveryFailures.totalCount === 1,
      'the given-up message',
    );
    expect(failures.data!.notificationDeliveryFailures.nodes[0]).toMatchObject({
      customerId,
      status: 'GIVEN_UP',
      lastError: 'mailbox unavailable',
      failures: [
        { attempt: 1, error: 'mailbox unavailable' },
        { attempt: 2, error: 'mailbox unavailable' },
      ],
    });
    const mine = await myNotifications(customerId);
    expect(mine.data!.notifications.nodes[0]).toMatchObject({ orderId, status: 'GIVEN_UP', failedAttempts: MAX_ATTEMPTS });

    const asCustomer = await graphql(gateway.url, 'query { notificationDeliveryFailures { totalCount } }', {}, await as(customerId));
    expect(asCustomer.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
  it('runs as a reaction on the single subscription, and a restart on the same store never sends a message twice', async () => {
    expect(gateway.reactions.runners.map((runner) => runner.reaction.name)).toContain('notifications');
    const itemId = await stockedItem('MUG-N5');
    const first = await placeOrder('grace', itemId);
    const sent = await eventually(
      () => myNotifications('grace'),
      (read) => read.data?.notifications.nodes[0]?.status === 'SENT',
      'the first confirmation',
    );
    const firstMessage = sent.data!.notifications.nodes[0].id as string;

    // The new gateway folds history again from the start; its durable checkpoint keeps it from acting on it again.
    await gateway.stop();
    gateway = await startTestGateway(await reopen(), NOTIFICATION_ENV);
    const second = await placeOrder('grace', itemId);
    const read = await eventually(
      () => myNotifications('grace'),
      (result) => result.data?.notifications.nodes.filter((node: any) => node.status === 'SENT').length === 2,
      'the second confirmation',
    );
    expect(read.data!.notifications.nodes.map((node: any) => [node.orderId, node.kind])).toEqual([
      [first, 'ORDER_CONFIRMED'],
      [second, 'ORDER_CONFIRMED'],
    ]);
    expect(await timesSent(gateway.store, firstMessage)).toBe(1);
    // The capability's aggregate reaches the upcasting store: every notification event is stored with its schema version.
    const stored = await gateway.store.readStream(notificationStreamName(firstMessage));
    expect(stored.map((event) => [event.type, event.metadata[SCHEMA_VERSION]])).toEqual([
      ['NotificationRequested', 1],
      ['NotificationSent', 1],
    ]);
    expect(await timesSent(gateway.store, read.data!.notifications.nodes[1].id)).toBe(1);
  });
});
