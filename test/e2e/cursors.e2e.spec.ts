/**
 * Cursors at the edges (issue 15): a cursor beyond the last event, above the position type's
 * range, or malformed is refused with BAD_USER_INPUT and a message saying why, for the `events`
 * query and the `events(after:)` subscription over graphql-ws and SSE, on every backend.
 */
import type { EventStore } from '../../eventStore/port';
import type { Gateway } from '../../server/gateway';
import { backends } from '../support/backends';
import { createItem, graphql, sseClient, startTestGateway, take, wsClient } from '../support/gatewayHarness';

interface ErrorShape {
  message: string;
  extensions?: Record<string, unknown>;
}

const SUBSCRIPTION = `subscription($after: String) { events(after: $after) { type position } }`;

/** The first answer of a subscription: its errors (sent as a result or as an error message). */
async function subscriptionErrors(
  iterator: AsyncIterator<{ errors?: readonly ErrorShape[]; data?: unknown }>,
): Promise<readonly ErrorShape[]> {
  try {
    const [first] = await take(iterator, 1, 5000);
    return first?.errors ?? [];
  } catch (error) {
    if (Array.isArray(error)) return error as ErrorShape[];
    throw error;
  }
}

describe.each(backends)('event cursors at the edges ($name store)', (backend) => {
  let gateway: Gateway;
  let store: EventStore;
  let dispose: () => Promise<void>;
  let head: bigint;

  beforeAll(async () => {
    ({ store, dispose } = await backend.create());
    gateway = await startTestGateway(store, { PROCESS_MANAGER: 'false' });
    await createItem(gateway.url, 'CURSOR-A');
    head = BigInt((await createItem(gateway.url, 'CURSOR-B')).position);
  });
  afterAll(async () => {
    await gateway.stop();
    await dispose();
  });

  const cases = () => [
    { name: 'beyond the head', cursor: (head + 1_000_000n).toString(), why: /beyond the last event's position/ },
    { name: 'above the position range (20 digits, 2^64)', cursor: '18446744073709551616', why: /above the largest event position/ },
    { name: 'just above 2^63 − 1', cursor: '9223372036854775808', why: /above the largest event position/ },
    { name: 'malformed', cursor: 'abc', why: /must be an event position/ },
    { name: 'longer than 20 digits', cursor: '1'.repeat(21), why: /must be an event position/ },
  ];

  it.each(['after', 'before'])('refuses every out-of-range or malformed %s cursor of the events query', async (argument) => {
    for (const { cursor, why } of cases()) {
      const result = await graphql(
        gateway.url,
        `query($cursor: String) { events(${argument}: $cursor, first: 5) { nodes { position } } }`,
        { cursor },
      );
      expect(result.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
      expect(result.errors?.[0]?.message).toMatch(why);
      expect(result.errors?.[0]?.message).toContain(argument);
    }
  });

  it('still accepts the head itself as a cursor (an empty page, then live events on a subscription)', async () => {
    const page = await graphql(
      gateway.url,
      `
        query ($after: String) {
          events(after: $after) {
            nodes {
              position
            }
          }
        }
      `,
      { after: head.toString() },
    );
    expect(page.errors).toBeUndefined();
    expect(page.data?.events.nodes).toEqual([]);

    const client = wsClient(gateway.url);
    try {
      const feed = client.iterate<{ events: { type: string; position: string } }>({
        query: SUBSCRIPTION,
        variables: { after: head.toString() },
      });
      // The subscription is set up once its first delivery arrives; the write below is after the head.
      const pending = take(feed, 1);
      const created = await createItem(gateway.url, `CURSOR-LIVE-${Date.now()}`);
      const [delivered] = await pending;
      expect(delivered?.data?.events).toEqual({ type: 'InventoryItemCreated', position: created.position });
      await feed.return?.();
    } finally {
      await client.dispose();
    }
  });

  it.each([
    ['graphql-ws', () => wsClient(gateway.url)],
    ['SSE', () => sseClient(gateway.url)],
  ] as const)('refuses them on the events subscription over %s', async (_transport, connect) => {
    const client = connect();
    try {
      for (const { cursor, why } of cases()) {
        const errors = await subscriptionErrors(client.iterate({ query: SUBSCRIPTION, variables: { after: cursor } }));
        expect(errors[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
        expect(errors[0]?.message).toMatch(why);
      }
    } finally {
      await client.dispose();
    }
  });
});
