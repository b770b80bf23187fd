/**
 * Live queries (`@live`) over real transports: the graphql-ws client and the graphql-sse client
 * against the real gateway, on every backend. A live result is re-sent when an event changes a
 * projection document it read; a customer's live query never carries another customer's data.
 */
import { backends } from '../support/backends';
import { issueToken } from '../../server/tokens';
import { createItem, graphql, sseClient, take, TEST_JWT_SECRET, tokenFor, wsClient } from '../support/gatewayHarness';
import { gatewayPerTest } from '../support/gatewayPerTest';

type Result<Data> = { data?: Data | null; errors?: ReadonlyArray<{ message: string; extensions?: Record<string, unknown> }> };

/** Reads results until `done` holds for one of them; returns every result seen. */
async function until<Data>(
  iterator: AsyncIterator<Result<Data>>,
  done: (data: Data) => boolean,
  timeoutMs = 15_000,
): Promise<Array<Result<Data>>> {
  const seen: Array<Result<Data>> = [];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [next] = await take(iterator, 1, Math.max(1, deadline - Date.now()));
    if (!next) throw new Error(`live query ended after ${seen.length} results: ${JSON.stringify(seen.at(-1))}`);
    seen.push(next);
    if (next.errors) throw new Error(`live query answered errors: ${JSON.stringify(next.errors)}`);
    if (next.data && done(next.data)) return seen;
  }
}

describe.each(backends)('live queries ($name store)', (backend) => {
  const running = gatewayPerTest(backend, { PAYMENT_LATENCY_MS: '10' });

  async function checkIn(id: string, count: number) {
    const result = await graphql(
      running.gateway.url,
      `
        mutation ($id: ID!, $n: Int!) {
          checkInItems(input: { id: $id, count: $n }) {
            revision
          }
        }
      `,
      { id, n: count },
    );
    expect(result.errors).toBeUndefined();
  }

  async function placeOrder(customer: string, itemId: string, quantity: number): Promise<string> {
    const token = await tokenFor('customer', customer);
    const result = await graphql(
      running.gateway.url,
      `
        mutation ($input: PlaceOrderInput!) {
          placeOrder(input: $input) {
            order {
              id
            }
          }
        }
      `,
      { input: { lines: [{ itemId, quantity }], paymentMethodToken: 'tok_visa' } },
      { authorization: `Bearer ${token}` },
    );
    expect(result.errors).toBeUndefined();
    return result.data!.placeOrder.order.id as string;
  }

  it('re-sends a live inventoryItems list over graphql-ws after a check-in and after a new item', async () => {
    const { item } = await createItem(running.gateway.url, 'LIVE-MUG');
    await checkIn(item.id, 5);
    const client = wsClient(running.gateway.url, null);
    try {
      type Data = { inventoryItems: { nodes: Array<{ sku: string; quantityOnHand: number }> } };
      const live = client.iterate<Data>({ query: `query LiveItems @live { inventoryItems(first: 10) { nodes { sku quantityOnHand } } }` });
      const [first] = await take(live, 1);
      expect(first?.data?.inventoryItems.nodes).toEqual([{ sku: 'LIVE-MUG', quantityOnHand: 5 }]);

      await checkIn(item.id, 3);
      await until(live, (data) => data.inventoryItems.nodes.some((node) => node.sku === 'LIVE-MUG' && node.quantityOnHand === 8));

      await createItem(running.gateway.url, 'LIVE-PLATE');
      const seen = await until(live, (data) => data.inventoryItems.nodes.some((node) => node.sku === 'LIVE-PLATE'));
      expect(
        seen
          .at(-1)
          ?.data?.inventoryItems.nodes.map((node) => node.sku)
          .sort(),
      ).toEqual(['LIVE-MUG', 'LIVE-PLATE']);
      await live.return?.();
    } finally {
      await client.dispose();
    }
  });

  it('follows an order through fulfilment over SSE, with the line items read fresh through the DataLoader', async () => {
    const { item } = await createItem(running.gateway.url, 'LIVE-LAMP', 'Lamp', { unitPriceCents: 2500 });
    await checkIn(item.id, 10);
    const orderId = await placeOrder('alice', item.id, 2);
    const alice = await tokenFor('customer', 'alice');
    const client = sseClient(running.gateway.url, alice);
    type Data = { order: { status: string; lines: Array<{ item: { quantityAvailable: number } | null }> } | null };
    const live = client.iterate<Data>({
      query: `query($id: ID!) @live { order(id: $id) { status lines { item { quantityAvailable } } } }`,
      variables: { id: orderId },
    });
    try {
      const seen = await until(live, (data) => data.order?.status === 'CONFIRMED');
      const statuses = seen.map((result) => result.data?.order?.status);
      // Every result is a state the order really passed through, in order (a live query may skip some).
      const path = ['PLACED', 'STOCK_RESERVED', 'CONFIRMED'];
      const indices = statuses.map((status) => path.indexOf(status ?? ''));
      expect(indices.every((index) => index >= 0)).toBe(true);
      expect([...indices].sort((a, b) => a - b)).toEqual(indices);
      expect(seen.at(-1)?.data?.order?.lines[0]?.item?.quantityAvailable).toBe(8);

      // The item is read through the request's DataLoader: a re-execution must not serve its cached copy.
      await checkIn(item.id, 5);
      await until(live, (data) => data.order?.lines[0]?.item?.quantityAvailable === 13);
    } finally {
      await live.return?.();
      client.dispose();
    }
  });

  it("never shows a customer another customer's orders, however often their live query is re-run", async () => {
    const { item } = await createItem(running.gateway.url, 'LIVE-CUP', 'Cup', { unitPriceCents: 300 });
    await checkIn(item.id, 50);
    const aliceOrder = await placeOrder('alice', item.id, 1);
    const client = wsClient(running.gateway.url, await tokenFor('customer', 'alice'));
    type Data = { orders: { nodes: Array<{ id: string; customerId: string; status: string }> } };
    const received: Array<Result<Data>> = [];
    try {
      const live = client.iterate<Data>({ query: `query @live { orders(first: 20) { nodes { id customerId status } } }` });
      const [first] = await take(live, 1);
      received.push(first!);
      expect(first?.data?.orders.nodes.map((order) => order.id)).toEqual([aliceOrder]);

      const bobOrder = await placeOrder('bob', item.id, 3);
      // Bob's order goes through fulfilment (several order-view changes), then alice places another.
      const bobView = async () =>
        (
          await graphql(
            running.gateway.url,
            `
              query ($id: ID!) {
                order(id: $id) {
                  status
                }
              }
            `,
            { id: bobOrder },
          )
        ).data?.order?.status as string | undefined;
      for (let attempt = 0; attempt < 100 && (await bobView()) !== 'CONFIRMED'; attempt += 1)
        await new Promise((resolve) => setTimeout(resolve, 50));
      const secondAliceOrder = await placeOrder('alice', item.id, 1);
      received.push(...(await until(live, (data) => data.orders.nodes.some((order) => order.id === secondAliceOrder))));
      await live.return?.();

      expect(received.length).toBeGreaterThan(1);
      const everyOrder = received.flatMap((result) => result.data?.orders.nodes ?? []);
      expect(everyOrder.every((order) => order.customerId === 'alice')).toBe(true);
      expect(JSON.stringify(received)).not.toContain(bobOrder);

      // A live lookup of bob's order by alice answers exactly what a missing order answers, and stays so.
      const spy = client.iterate<{ order: unknown }>({
        query: `query($id: ID!) @live { order(id: $id) { id customerId } }`,
        variables: { id: bobOrder },
      });
      const [lookup] = await take(spy, 1);
      expect(lookup?.data?.order ?? null).toBeNull();
      await graphql(
        running.gateway.url,
        `
          mutation ($id: ID!) {
            shipOrder(input: { id: $id }) {
              order {
                status
              }
            }
          }
        `,
        { id: bobOrder },
      );
      const later = await take(spy, 1, 1_000).catch(() => []);
      expect(JSON.stringify(later)).not.toContain('bob');
      await spy.return?.();
    } finally {
      await client.dispose();
    }
  });

  it('answers an ordinary query once and a live query with @live(if: false) once', async () => {
    await createItem(running.gateway.url, 'LIVE-ONCE');
    const client = wsClient(running.gateway.url, null);
    try {
      const once = client.iterate<{ inventoryItems: { totalCount: number } }>({
        query: `query @live(if: false) { inventoryItems(first: 1) { totalCount } }`,
      });
      const results = await take(once, 2, 2_000);
      expect(results).toHaveLength(1);
      expect(results[0]?.data?.inventoryItems.totalCount).toBe(1);
    } finally {
      await client.dispose();
    }
  });

  it('ends a live query with its token: TOKEN_EXPIRED over SSE, then no more results', async () => {
    const { item } = await createItem(running.gateway.url, 'LIVE-EXPIRY');
    const shortLived = await issueToken(TEST_JWT_SECRET, { role: 'customer', sub: 'carol' }, { expiresIn: '2s' });
    const client = sseClient(running.gateway.url, shortLived);
    const live = client.iterate<{ inventoryItem: { quantityOnHand: number } }>({
      query: `query($id: ID!) @live { inventoryItem(id: $id) { quantityOnHand } }`,
      variables: { id: item.id },
    });
    try {
      const [first] = await take(live, 1);
      expect(first?.data?.inventoryItem.quantityOnHand).toBe(0);
      const rest: unknown[] = [];
      const drained = (async () => {
        for await (const result of live) rest.push(result);
      })();
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      await checkIn(item.id, 7);
      await Promise.race([drained, new Promise((_, reject) => setTimeout(() => reject(new Error('the live query did not end')), 5_000))]);
      expect(JSON.stringify(rest)).toContain('TOKEN_EXPIRED');
      expect(JSON.stringify(rest)).not.toContain('"quantityOnHand":7');
    } finally {
      await live.return?.();
      client.dispose();
    }
  });
});
