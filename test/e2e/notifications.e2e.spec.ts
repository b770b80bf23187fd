/**
 * Order messages end to end, on every backend: the real shop gateway on a socket takes the order and
 * runs its fulfilment; the notifications capability runs beside it on the same store, composed here
 * as the composition root will compose it once capabilities contribute projections, reactions and
 * context entries (server/capabilities/notifications.ts says what that wiring needs). Customers read
 * and watch their messages over real HTTP and SSE with real clients; the admin reads delivery failures.
 *
 * The test-only composition: the capability's read model on its own projection runner, its reaction
 * fed by a catch-up subscription to `$all`, and its SDL, resolvers and access rules served by yoga on
 * a second port, with the gateway's error masker and token authentication.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { MapperKind, mapSchema } from '@graphql-tools/utils';
import { defaultFieldResolver, type GraphQLFieldConfig } from 'graphql';
import { createYoga } from 'graphql-yoga';
import { authorizeField } from '../../application/authorization';
import { ChangeFeed } from '../../application/changeFeed';
import { CommandHandler } from '../../application/commandHandler';
import { SIMULATED_UNDELIVERABLE_MARK } from '../../domain/notifications';
import type { EventStore } from '../../eventStore/port';
import { ProjectionRunner } from '../../projections/projectionRunner';
import {
  notificationAccessRules,
  notificationResolvers,
  notificationsContextEntry,
  notificationsReaction,
  notificationsReadModel,
  type NotificationsContext,
} from '../../server/capabilities/notifications';
import { createErrorMasker } from '../../server/errors';
import type { Gateway } from '../../server/gateway';
import { createAuthenticator } from '../../server/tokens';
import { backends } from '../support/backends';
import { TEST_JWT_SECRET, createItem, graphql, sseClient, startTestGateway, take, tokenFor } from '../support/gatewayHarness';

const silent = { info: () => {}, warn: () => {}, error: () => {} };
const MAX_ATTEMPTS = 2;
/** common.graphql declares `type Mutation`; the capability adds none, and a type needs a field. */
const NO_MUTATIONS = 'extend type Mutation { _testCompositionOnly: Boolean }';
const NOTIFICATION_FIELDS = 'id customerId orderId kind subject body status failedAttempts lastError';

interface NotificationsServer {
  readonly url: string;
  stop(): Promise<void>;
}

/** The notifications capability, composed beside the running gateway on the same store. */
async function startNotifications(store: EventStore): Promise<NotificationsServer> {
  const shutdown = new AbortController();
  const readModel = notificationsReadModel();
  const version = readModel.buildVersion();
  version.activate();
  const runner = new ProjectionRunner(store, version.projections, { logger: silent });
  await runner.start();
  const context = notificationsContextEntry(readModel.queries, new ChangeFeed(runner, shutdown.signal));

  const reaction = notificationsReaction(
    { store, commands: new CommandHandler(store), logger: silent },
    { maxAttempts: MAX_ATTEMPTS, retryDelayMs: 10, transientFailurePercent: 0, mailLatencyMs: 0 },
  );
  const reacting = (async () => {
    for await (const message of store.subscribeToAll({ signal: shutdown.signal })) {
      if (message.kind === 'event') await reaction.handle(message.event, { act: true, signal: shutdown.signal });
    }
  })();

  const sdl = (file: string) => readFileSync(join(__dirname, '..', '..', 'schema', file), 'utf8');
  const schema = mapSchema(
    makeExecutableSchema({
      typeDefs: [sdl('common.graphql'), sdl('notifications/notifications.graphql'), NO_MUTATIONS],
      resolvers: [notificationResolvers],
    }),
    {
      // As server/schema.ts guards every root field with its capability's access rule.
      [MapperKind.ROOT_FIELD]: (field, fieldName, typeName) => {
        const config = field as GraphQLFieldConfig<unknown, NotificationsContext>;
        const coordinate = `${typeName}.${fieldName}`;
        const resolve = config.resolve ?? defaultFieldResolver;
        const subscribe = config.subscribe;
        return {
          ...config,
          resolve: (source, args, ctx, info) => {
            authorizeField(ctx.scope.actor, notificationAccessRules, coordinate);
            return resolve(source, args, ctx, info);
          },
          ...(subscribe
            ? {
                subscribe: (
                  source: unknown,
                  args: Record<string, unknown>,
                  ctx: NotificationsContext,
                  info: Parameters<typeof resolve>[3],
                ) => {
                  authorizeField(ctx.scope.actor, notificationAccessRules, coordinate);
                  return subscribe(source, args, ctx, info);
                },
              }
            : {}),
        };
      },
    },
  );
  const authenticate = createAuthenticator({ jwtSecret: TEST_JWT_SECRET, jwksUrl: null, issuer: null, audience: null });
  const yoga = createYoga({
    schema,
    logging: false,
    maskedErrors: { maskError: createErrorMasker(silent) },
    context: async ({ request }) => ({ scope: { actor: await authenticate(request.headers.get('authorization')) }, ...context }),
  });
  const server: Server = createServer(yoga);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    stop: async () => {
      shutdown.abort();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await reacting;
      await runner.stop();
    },
  };
}

describe.each(backends)('order messages to the customer ($name store)', (backend) => {
  let gateway: Gateway;
  let notifications: NotificationsServer;
  let dispose: () => Promise<void>;

  beforeEach(async () => {
    const created = await backend.create();
    dispose = created.dispose;
    gateway = await startTestGateway(created.store, { PAYMENT_LATENCY_MS: '10' });
    notifications = await startNotifications(gateway.store);
  });
  afterEach(async () => {
    await notifications.stop();
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
    const client = sseClient(notifications.url, await tokenFor('customer', customerId));
    const iterator = client.iterate({ query: `subscription { notifications { ${NOTIFICATION_FIELDS} } }` });
    return { iterator, dispose: () => client.dispose() };
  }

  const myNotifications = async (customerId: string, customerIdArgument?: string) =>
    graphql(
      notifications.url,
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
    const adminRead = await graphql(notifications.url, 'query { notifications(customerId: "dave") { totalCount } }');
    expect(adminRead.data!.notifications.totalCount).toBe(1);
    const anonymous = await graphql(notifications.url, 'query { notifications { totalCount } }', {}, { authorization: '' });
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('shows the admin a message given up after every attempt failed, and no customer may see the failures', async () => {
    const itemId = await stockedItem('MUG-N4');
    const customerId = `frank-${SIMULATED_UNDELIVERABLE_MARK}`;
    const orderId = await placeOrder(customerId, itemId);
    const failures = await eventually(
      () =>
        graphql(
          notifications.url,
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

    const asCustomer = await graphql(notifications.url, 'query { notificationDeliveryFailures { totalCount } }', {}, await as(customerId));
    expect(asCustomer.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
