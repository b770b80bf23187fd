/**
 * Authentication, authorization and limits, over real sockets. Customers must not see each
 * other's orders by any route (query, list, subscription, mutation), even by guessing ids.
 */
import { isObjectType } from 'graphql';
import { SqliteEventStore } from '../../eventStore/embedded/sqliteEventStore';
import { fieldRules } from '../../server/capabilities';
import type { Gateway } from '../../server/gateway';
import { createSchema } from '../../server/schema';
import { issueToken } from '../../server/tokens';
import {
  TEST_JWT_SECRET,
  createItem,
  eventCount,
  graphql,
  settled,
  startTestGateway,
  take,
  tokenFor,
  wsClient,
} from '../support/gatewayHarness';
import { checkInItems, orderStatus } from '../support/shopSetup';
import { checkInOneAs } from '../support/rateLimitProbe';

const anonymous = { authorization: '' };
const as = async (role: 'admin' | 'customer', sub: string) => ({ authorization: `Bearer ${await tokenFor(role, sub)}` });

describe('security', () => {
  let store: SqliteEventStore;
  let gateway: Gateway;

  beforeEach(async () => {
    store = new SqliteEventStore({ filename: ':memory:' });
    gateway = await startTestGateway(store, { PAYMENT_LATENCY_MS: '5' });
  });
  afterEach(() => gateway.stop());

  it('has an access rule for every root field, and no rule for a field that does not exist', () => {
    const schema = createSchema();
    const rootFields = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]
      .filter(isObjectType)
      .flatMap((type) => Object.keys(type.getFields()).map((field) => `${type.name}.${field}`));
    expect(rootFields.filter((field) => !(field in fieldRules))).toEqual([]);
    expect(Object.keys(fieldRules).filter((field) => !rootFields.includes(field))).toEqual([]);
  });

  describe('authentication', () => {
    it('lets anyone read the catalogue and nothing else', async () => {
      await createItem(gateway.url, 'SEC-CAT');
      const catalogue = await graphql(
        gateway.url,
        `
          {
            inventoryItems {
              totalCount
            }
          }
        `,
        undefined,
        anonymous,
      );
      expect(catalogue.data?.inventoryItems.totalCount).toBe(1);
      const before = await eventCount(store);
      const write = await graphql(
        gateway.url,
        `
          mutation {
            createInventoryItem(input: { sku: "SEC-ANON", name: "x" }) {
              revision
            }
          }
        `,
        undefined,
        anonymous,
      );
      expect(write.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      const orders = await graphql(
        gateway.url,
        `
          {
            orders {
              totalCount
            }
          }
        `,
        undefined,
        anonymous,
      );
      expect(orders.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      expect(await eventCount(store)).toBe(before);
    });

    it.each([
      ['a malformed header', 'Token abc'],
      ['a token signed with another secret', 'other'],
      ['an expired token', 'expired'],
      ['a token with an unknown role', 'role'],
    ])('refuses %s with UNAUTHENTICATED', async (_name, kind) => {
      const bearer =
        kind === 'other'
          ? `Bearer ${await issueToken('another-secret-of-enough-length', { role: 'admin', sub: 'mallory' })}`
          : kind === 'expired'
            ? `Bearer ${await issueToken(TEST_JWT_SECRET, { role: 'admin', sub: 'old' }, { expiresIn: '-1m' })}`
            : kind === 'role'
              ? `Bearer ${await issueToken(TEST_JWT_SECRET, { role: 'superuser' as 'admin', sub: 'x' })}`
              : kind;
      const result = await graphql(
        gateway.url,
        `
          {
            inventoryItems {
              totalCount
            }
          }
        `,
        undefined,
        { authorization: bearer },
      );
      expect(result.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      expect(result.data ?? null).toBeNull();
    });

    it('refuses a WebSocket connection with a bad token and accepts a good one', async () => {
      const bad = wsClient(gateway.url, 'not.a.token');
      const refused = bad.iterate({ query: `subscription { inventoryItemChanges { eventType } }` });
      await expect(refused.next()).rejects.toMatchObject({ code: 4403 });
      await bad.dispose();
      const good = wsClient(gateway.url, await tokenFor('customer', 'alice'));
      const accepted = good.iterate({ query: `subscription { inventoryItemChanges { eventType } }` });
      const next = take(accepted, 1);
      await new Promise((resolve) => setTimeout(resolve, 100));
      await createItem(gateway.url, 'SEC-WS');
      expect((await next)[0]?.data).toEqual({ inventoryItemChanges: { eventType: 'InventoryItemCreated' } });
      await good.dispose();
    });

    it('records the authenticated actor in every event', async () => {
      const { item } = await createItem(gateway.url, 'SEC-ACTOR', 'Actor', { unitPriceCents: 100 });
      await checkInItems(gateway.url, item.id, 5);
      await graphql(
        gateway.url,
        `
          mutation ($id: ID!) {
            placeOrder(input: { paymentMethodToken: "tok", lines: [{ itemId: $id, quantity: 1 }] }) {
              order {
                id
              }
            }
          }
        `,
        { id: item.id },
        await as('customer', 'alice'),
      );
      const events = await store.readAll();
      expect(events.find((e) => e.type === 'InventoryItemCreated')?.metadata.actor).toBe('admin:test-admin');
      expect(events.find((e) => e.type === 'OrderPlaced')?.metadata.actor).toBe('customer:alice');
      expect(events.find((e) => e.type === 'OrderPlaced')?.data.customerId).toBe('alice');
    });
  });

  describe('authorization', () => {
    let aliceOrder: string;
    beforeEach(async () => {
      const { item } = await createItem(gateway.url, 'SEC-ORD', 'Ordered', { unitPriceCents: 100 });
      await checkInItems(gateway.url, item.id, 5);
      const placed = await graphql(
        gateway.url,
        `
          mutation ($id: ID!) {
            placeOrder(input: { paymentMethodToken: "tok", lines: [{ itemId: $id, quantity: 1 }] }) {
              order {
                id
                customerId
              }
            }
          }
        `,
        { id: item.id },
        await as('customer', 'alice'),
      );
      expect(placed.data?.placeOrder.order.customerId).toBe('alice');
      aliceOrder = placed.data?.placeOrder.order.id;
      // Let fulfilment finish, so the event counts below see only what the test does.
      const deadline = Date.now() + 10_000;
      while ((await orderStatus(gateway.url, aliceOrder)) !== 'CONFIRMED') {
        if (Date.now() > deadline) throw new Error('order never confirmed');
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      await new Promise((resolve) => setTimeout(resolve, 300));
    });

    it('lets a customer see their own order', async () => {
      const own = await graphql(
        gateway.url,
        `
          query ($id: ID!) {
            order(id: $id) {
              id
            }
            orders {
              totalCount
            }
          }
        `,
        { id: aliceOrder },
        await as('customer', 'alice'),
      );
      expect(own.data).toEqual({ order: { id: aliceOrder }, orders: { totalCount: 1 } });
    });

    it('hides another customer’s order from queries, lists, mutations and subscriptions', async () => {
      const bob = await as('customer', 'bob');
      const byId = await graphql(
        gateway.url,
        `
          query ($id: ID!) {
            order(id: $id) {
              id
            }
          }
        `,
        { id: aliceOrder },
        bob,
      );
      expect(byId.data).toEqual({ order: null });
      const mine = await graphql(
        gateway.url,
        `
          {
            orders {
              totalCount
            }
          }
        `,
        undefined,
        bob,
      );
      expect(mine.data?.orders.totalCount).toBe(0);
      const hers = await graphql(
        gateway.url,
        `
          {
            orders(customerId: "alice") {
              totalCount
            }
          }
        `,
        undefined,
        bob,
      );
      expect(hers.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      await settled(store);
      const before = await eventCount(store);
      const cancel = await graphql(
        gateway.url,
        `
          mutation ($id: ID!) {
            cancelOrder(input: { id: $id, reason: "mine now" }) {
              revision
            }
          }
        `,
        { id: aliceOrder },
        bob,
      );
      expect(cancel.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
      const placeForHer = await graphql(
        gateway.url,
        `
          mutation {
            placeOrder(input: { customerId: "alice", paymentMethodToken: "tok", lines: [] }) {
              revision
            }
          }
        `,
        undefined,
        bob,
      );
      expect(placeForHer.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(await eventCount(store)).toBe(before);

      const client = wsClient(gateway.url, await tokenFor('customer', 'bob'));
      try {
        for (const [query, code] of [
          [`subscription { order(id: "${aliceOrder}") { id } }`, 'NOT_FOUND'],
          [`subscription { customerOrders(customerId: "alice") { id } }`, 'FORBIDDEN'],
          [`subscription { events { id } }`, 'FORBIDDEN'],
        ] as const) {
          const [result] = await take(client.iterate({ query }), 1).catch((error: unknown) => [
            { errors: error as Array<{ extensions?: { code?: string } }> },
          ]);
          expect(JSON.stringify(result)).toContain(code);
        }
      } finally {
        await client.dispose();
      }
    });

    it('treats a guessed id exactly like a missing one', async () => {
      const bob = await as('customer', 'bob');
      const guessed = await graphql(
        gateway.url,
        `
          query ($a: ID!, $b: ID!) {
            a: order(id: $a) {
              id
            }
            b: order(id: $b) {
              id
            }
          }
        `,
        { a: aliceOrder, b: '00000000-0000-4000-8000-000000000000' },
        bob,
      );
      expect(guessed.data).toEqual({ a: null, b: null });
    });

    it('keeps inventory management, shipping, history and the dashboard for admins', async () => {
      const alice = await as('customer', 'alice');
      for (const query of [
        `mutation { createInventoryItem(input: { sku: "SEC-NO", name: "no" }) { revision } }`,
        `mutation { shipOrder(input: { id: "${aliceOrder}" }) { revision } }`,
        `{ events { nodes { id } } }`,
        `{ dashboard { revenueCents } }`,
        `{ orderAt(id: "${aliceOrder}", revision: 0) { id } }`,
      ]) {
        const result = await graphql(gateway.url, query, undefined, alice);
        expect([query, result.errors?.[0]?.extensions?.code]).toEqual([query, 'FORBIDDEN']);
      }
    });
  });

  describe('limits', () => {
    it('refuses over-deep, alias-flooded and oversized operations without stating the limit', async () => {
      const deep = `{ ${'orders { nodes { '.repeat(8)} id ${'} } '.repeat(8)} }`;
      const aliases = `{ ${Array.from({ length: 50 }, (_, i) => `a${i}: status { caughtUp }`).join(' ')} }`;
      const tokens = `{ status { ${'caughtUp '.repeat(3000)} } }`;
      for (const query of [deep, aliases, tokens]) {
        const result = await graphql(gateway.url, query);
        expect(result.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_COMPLEX');
        expect(result.errors?.[0]?.message).not.toMatch(/\d/);
      }
      expect(
        (
          await graphql(
            gateway.url,
            `
              {
                inventoryItems(first: 100) {
                  nodes {
                    id
                    name
                  }
                }
              }
            `,
          )
        ).errors,
      ).toBeUndefined();
    });

    it('refuses a body over the size limit before reading it, and batches over the limit', async () => {
      const huge = await fetch(gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: `{ status { caughtUp } }`, variables: { pad: 'x'.repeat(200_000) } }),
      });
      expect(huge.status).toBe(413);
      expect((await huge.json()).errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
      const batch = await fetch(gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(Array.from({ length: 11 }, () => ({ query: `{ status { caughtUp } }` }))),
      });
      expect((await batch.json()).errors?.[0]?.message).toBeTruthy();
      const okBatch = await fetch(gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(Array.from({ length: 2 }, () => ({ query: `{ status { caughtUp } }` }))),
      });
      expect(await okBatch.json()).toHaveLength(2);
    });

    it('refuses cross-site writes a page could send without a preflight (CSRF), and serves JSON clients and GET queries', async () => {
      // A simple GET carries no credential (auth is a bearer header, never a cookie) and runs queries only.
      const simple = await fetch(`${gateway.url}?query=${encodeURIComponent('{ status { caughtUp } }')}`);
      expect(simple.status).toBe(200);
      for (const [contentType, body] of [
        ['application/x-www-form-urlencoded', 'query={status{caughtUp}}'],
        ['text/plain', '{"query":"{ status { caughtUp } }"}'],
      ]) {
        const form = await fetch(gateway.url, { method: 'POST', headers: { 'content-type': contentType! }, body });
        expect(form.status).toBe(403);
        expect((await form.json()).errors[0].extensions.code).toBe('CSRF_PREVENTED');
      }
      const preflighted = await fetch(`${gateway.url}?query=${encodeURIComponent('{ status { caughtUp } }')}`, {
        headers: { 'graphql-preflight': '1' },
      });
      expect(preflighted.status).toBe(200);
    });
  });

  it('rate-limits mutations per client and appends nothing for a refused one', async () => {
    await gateway.stop();
    store = new SqliteEventStore({ filename: ':memory:' });
    gateway = await startTestGateway(store, { MUTATIONS_PER_MINUTE: '3' });
    const { item } = await createItem(gateway.url, 'SEC-RATE');
    const alice = await as('admin', 'rate-tester');
    const results = [];
    for (let i = 0; i < 4; i += 1) results.push(await checkInOneAs(gateway.url, item.id, alice));
    expect(results.slice(0, 3).every((r) => !r.errors)).toBe(true);
    expect(results[3]?.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) });
    expect((await store.readStream(`inventoryItem-${item.id}`)).length).toBe(4);
    // Another client has its own budget; reads are never limited.
    expect((await checkInOneAs(gateway.url, item.id, await as('admin', 'other'))).errors).toBeUndefined();
    expect(
      (
        await graphql(
          gateway.url,
          `
            {
              status {
                caughtUp
              }
            }
          `,
          undefined,
          alice,
        )
      ).errors,
    ).toBeUndefined();
  });

  it('turns off introspection, GraphiQL and field suggestions in production', async () => {
    await gateway.stop();
    store = new SqliteEventStore({ filename: ':memory:' });
    gateway = await startTestGateway(store, { NODE_ENV: 'production' });
    const introspection = await graphql(
      gateway.url,
      `
        {
          __schema {
            types {
              name
            }
          }
        }
      `,
    );
    expect(introspection.errors?.[0]?.message).toBeTruthy();
    expect(introspection.data ?? null).toBeNull();
    const typo = await graphql(
      gateway.url,
      `
        {
          statu
        }
      `,
    );
    expect(typo.errors?.[0]?.message).not.toMatch(/Did you mean/);
    const page = await fetch(gateway.url, { headers: { accept: 'text/html' } });
    expect(await page.text()).not.toContain('<html');
  });
});
