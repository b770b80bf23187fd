/**
 * The inventory API end to end: the real gateway on an ephemeral port, real HTTP (fetch),
 * real graphql-ws and graphql-sse clients, a real event store.
 */
import type { Gateway } from '../../server/gateway';
import type { EventStore } from '../../eventStore/port';
import { InventoryItemQueries } from '../../projections/inventoryItemView/inventoryItemQueries';
import { backends } from '../support/backends';
import { ITEM_FIELDS, createItem, eventCount, graphql, sseClient, startTestGateway, take, wsClient } from '../support/gatewayHarness';
import { checkInItems, inventoryItemStock } from '../support/shopSetup';

describe.each(backends)('inventory over GraphQL ($name store)', (backend) => {
  let gateway: Gateway;
  let store: EventStore;
  let dispose: () => Promise<void>;
  let reopen: () => Promise<EventStore>;

  beforeEach(async () => {
    ({ store, dispose, reopen } = await backend.create());
    gateway = await startTestGateway(store);
  });
  afterEach(async () => {
    await gateway.stop();
    await dispose();
  });

  it('creates an item and returns it as the read side shows it, then queries it', async () => {
    const created = await createItem(gateway.url, 'MUG-1', 'Mug', { unitPriceCents: 1250 });
    expect(created).toMatchObject({
      revision: 0,
      replayed: false,
      item: { sku: 'MUG-1', name: 'Mug', unitPriceCents: 1250, quantityOnHand: 0, active: true, version: 0 },
    });
    expect(typeof created.position).toBe('string');

    const checkedIn = await graphql(
      gateway.url,
      `
        mutation ($id: ID!) {
          checkInItems(input: { id: $id, count: 7 }) {
            revision
            item {
              quantityOnHand
              quantityAvailable
              version
            }
          }
        }
      `,
      {
        id: created.item.id,
      },
    );
    expect(checkedIn).toEqual({ data: { checkInItems: { revision: 1, item: { quantityOnHand: 7, quantityAvailable: 7, version: 1 } } } });

    const queried = await graphql(
      gateway.url,
      `query($id: ID!, $sku: String!) {
      inventoryItem(id: $id) { ${ITEM_FIELDS} }
      inventoryItemBySku(sku: $sku) { id }
      inventoryItems(first: 5) { totalCount nodes { sku } pageInfo { hasNextPage } }
    }`,
      { id: created.item.id, sku: 'mug-1' },
    );
    expect(queried.errors).toBeUndefined();
    expect(queried.data?.inventoryItem).toMatchObject({ id: created.item.id, quantityOnHand: 7, version: 1 });
    expect(queried.data?.inventoryItemBySku).toEqual({ id: created.item.id });
    expect(queried.data?.inventoryItems).toEqual({ totalCount: 1, nodes: [{ sku: 'MUG-1' }], pageInfo: { hasNextPage: false } });
  });

  it('renames, removes and deactivates, each visible in its own payload', async () => {
    const { item } = await createItem(gateway.url, 'PLATE-1', 'Plate');
    const run = (mutation: string) => graphql(gateway.url, mutation, { id: item.id });
    await run(`mutation($id: ID!) { checkInItems(input: { id: $id, count: 5 }) { revision } }`);
    expect(
      (await run(`mutation($id: ID!) { renameInventoryItem(input: { id: $id, name: "Big plate" }) { item { name version } } }`)).data,
    ).toEqual({
      renameInventoryItem: { item: { name: 'Big plate', version: 2 } },
    });
    expect((await run(`mutation($id: ID!) { removeItems(input: { id: $id, count: 2 }) { item { quantityOnHand } } }`)).data).toEqual({
      removeItems: { item: { quantityOnHand: 3 } },
    });
    expect(
      (
        await run(
          `mutation($id: ID!) { deactivateInventoryItem(input: { id: $id, reason: "chipped" }) { item { active deactivationReason } } }`,
        )
      ).data,
    ).toEqual({
      deactivateInventoryItem: { item: { active: false, deactivationReason: 'chipped' } },
    });
    const filtered = await graphql(
      gateway.url,
      `
        {
          active: inventoryItems(filter: { active: true }) {
            totalCount
          }
          inactive: inventoryItems(filter: { active: false, nameContains: "BIG" }) {
            nodes {
              name
            }
          }
        }
      `,
    );
    expect(filtered.data).toEqual({ active: { totalCount: 0 }, inactive: { nodes: [{ name: 'Big plate' }] } });
  });

  it('pages through items with cursors and filters by stock', async () => {
    for (let i = 0; i < 5; i += 1) {
      const { item } = await createItem(gateway.url, `PAGE-${i}`);
      await graphql(
        gateway.url,
        `
          mutation ($id: ID!, $n: Int!) {
            checkInItems(input: { id: $id, count: $n }) {
              revision
            }
          }
        `,
        { id: item.id, n: i + 1 },
      );
    }
    const page = (after: string | null) =>
      graphql(
        gateway.url,
        `
          query ($after: String) {
            inventoryItems(first: 2, after: $after) {
              edges {
                cursor
                node {
                  sku
                }
              }
              pageInfo {
                hasNextPage
                endCursor
              }
            }
          }
        `,
        { after },
      );
    const first = (await page(null)).data!.inventoryItems;
    const second = (await page(first.pageInfo.endCursor)).data!.inventoryItems;
    const third = (await page(second.pageInfo.endCursor)).data!.inventoryItems;
    expect([...first.edges, ...second.edges, ...third.edges].map((e: any) => e.node.sku)).toEqual([
      'PAGE-0',
      'PAGE-1',
      'PAGE-2',
      'PAGE-3',
      'PAGE-4',
    ]);
    expect(third.pageInfo.hasNextPage).toBe(false);
    const low = await graphql(
      gateway.url,
      `
        {
          inventoryItems(filter: { availableBelow: 3 }) {
            nodes {
              sku
              quantityAvailable
            }
          }
        }
      `,
    );
    expect(low.data?.inventoryItems.nodes).toEqual([
      { sku: 'PAGE-0', quantityAvailable: 1 },
      { sku: 'PAGE-1', quantityAvailable: 2 },
    ]);
  });

  it('batches item lookups within one request through a per-request DataLoader (no N+1)', async () => {
    const a = await createItem(gateway.url, 'DL-A');
    const b = await createItem(gateway.url, 'DL-B');
    const spy = jest.spyOn(InventoryItemQueries.prototype, 'byIds');
    try {
      const result = await graphql(
        gateway.url,
        `
          query ($a: ID!, $b: ID!) {
            x: inventoryItem(id: $a) {
              sku
            }
            y: inventoryItem(id: $b) {
              sku
            }
            z: inventoryItem(id: $a) {
              name
            }
          }
        `,
        {
          a: a.item.id,
          b: b.item.id,
        },
      );
      expect(result.data).toEqual({ x: { sku: 'DL-A' }, y: { sku: 'DL-B' }, z: { name: 'Item DL-A' } });
      expect(spy).toHaveBeenCalledTimes(1);
      expect(spy.mock.calls[0]![0]).toHaveLength(2);
    } finally {
      spy.mockRestore();
    }
  });

  it('streams one item over graphql-ws: current state first, then every change', async () => {
    const { item } = await createItem(gateway.url, 'WS-1');
    const client = wsClient(gateway.url);
    try {
      const subscription = client.iterate<{ inventoryItem: { quantityOnHand: number; version: number } }>({
        query: `subscription($id: ID!) { inventoryItem(id: $id) { quantityOnHand version } }`,
        variables: { id: item.id },
      });
      const [initial] = await take(subscription, 1);
      expect(initial?.data?.inventoryItem).toEqual({ quantityOnHand: 0, version: 0 });
      for (let i = 0; i < 3; i += 1) {
        await checkInItems(gateway.url, item.id, 2);
      }
      const updates = await take(subscription, 3);
      expect(updates.map((u) => u.data?.inventoryItem)).toEqual([
        { quantityOnHand: 2, version: 1 },
        { quantityOnHand: 4, version: 2 },
        { quantityOnHand: 6, version: 3 },
      ]);
      await subscription.return?.();
    } finally {
      await client.dispose();
    }
  });

  it('streams every inventory change over graphql-sse, in $all order', async () => {
    const client = sseClient(gateway.url);
    const subscription = client.iterate<{ inventoryItemChanges: { eventType: string; position: string; item: { sku: string } } }>({
      query: `subscription { inventoryItemChanges { eventType position item { sku quantityOnHand } } }`,
    });
    try {
      // The SSE stream is open once the server has registered the subscription; give it a moment.
      const first = take(subscription, 3);
      await new Promise((resolve) => setTimeout(resolve, 200));
      const { item } = await createItem(gateway.url, 'SSE-1');
      await checkInItems(gateway.url, item.id, 4);
      await createItem(gateway.url, 'SSE-2');
      const changes = (await first).map((c) => c.data!.inventoryItemChanges);
      expect(changes.map((c) => [c.eventType, c.item.sku])).toEqual([
        ['InventoryItemCreated', 'SSE-1'],
        ['ItemsCheckedIn', 'SSE-1'],
        ['InventoryItemCreated', 'SSE-2'],
      ]);
      const positions = changes.map((c) => BigInt(c.position));
      expect(positions[0]! < positions[1]! && positions[1]! < positions[2]!).toBe(true);
    } finally {
      await subscription.return?.();
      client.dispose();
    }
  });

  it('ends at exactly +50 after 50 concurrent "check in 1" mutations on one item', async () => {
    const { item } = await createItem(gateway.url, 'RACE-1');
    const results = await Promise.all(
      Array.from({ length: 50 }, () => checkInItems(gateway.url, item.id, 1, 'revision item { quantityOnHand }')),
    );
    expect(results.filter((r) => r.errors)).toEqual([]);
    expect(new Set(results.map((r) => r.data!.checkInItems.revision)).size).toBe(50);
    const after = await inventoryItemStock(gateway.url, item.id);
    expect(after.data?.inventoryItem).toEqual({ quantityOnHand: 50, version: 50 });
    expect(await eventCount(store)).toBe(51);
  });

  it('applies one idempotency key sent 10 times concurrently exactly once', async () => {
    const { item } = await createItem(gateway.url, 'IDEM-1');
    const send = () =>
      graphql(
        gateway.url,
        `
          mutation ($id: ID!) {
            checkInItems(input: { id: $id, count: 3, idempotencyKey: "order-42-restock" }) {
              revision
              replayed
              item {
                quantityOnHand
              }
            }
          }
        `,
        {
          id: item.id,
        },
      );
    const results = await Promise.all(Array.from({ length: 10 }, send));
    expect(results.filter((r) => r.errors)).toEqual([]);
    expect(new Set(results.map((r) => r.data!.checkInItems.revision))).toEqual(new Set([1]));
    expect(results.filter((r) => r.data!.checkInItems.replayed === false)).toHaveLength(1);
    expect(await eventCount(store)).toBe(2);
    const later = await send();
    expect(later.data?.checkInItems).toMatchObject({ revision: 1, replayed: true, item: { quantityOnHand: 3 } });
    expect(await eventCount(store)).toBe(2);
  });

  it('creates an item once for a retried create with the same idempotency key', async () => {
    const send = () =>
      graphql(
        gateway.url,
        `
          mutation {
            createInventoryItem(input: { sku: "KEY-1", name: "Keyed", idempotencyKey: "create-key-1" }) {
              replayed
              item {
                id
              }
            }
          }
        `,
      );
    const [first, second] = await Promise.all([send(), send()]);
    expect(first?.data?.createInventoryItem.item.id).toBe(second?.data?.createInventoryItem.item.id);
    expect(await eventCount(store)).toBe(1);
  });

  it('keeps everything after a restart on the same store', async () => {
    const { item } = await createItem(gateway.url, 'KEEP-1', 'Kept');
    await checkInItems(gateway.url, item.id, 9);
    await gateway.stop();
    store = await reopen();
    gateway = await startTestGateway(store);
    const after = await graphql(
      gateway.url,
      `
        query ($id: ID!) {
          inventoryItem(id: $id) {
            name
            quantityOnHand
            version
          }
        }
      `,
      { id: item.id },
    );
    expect(after.data?.inventoryItem).toEqual({ name: 'Kept', quantityOnHand: 9, version: 1 });
    const next = await checkInItems(gateway.url, item.id, 1, 'revision item { quantityOnHand }');
    expect(next.data?.checkInItems).toEqual({ revision: 2, item: { quantityOnHand: 10 } });
  });

  describe('rejected mutations return a stable code and append nothing', () => {
    let itemId: string;
    let inactiveId: string;
    beforeEach(async () => {
      itemId = (await createItem(gateway.url, 'REJ-1')).item.id;
      await checkInItems(gateway.url, itemId, 2);
      inactiveId = (await createItem(gateway.url, 'REJ-OFF')).item.id;
      await graphql(
        gateway.url,
        `
          mutation ($id: ID!) {
            deactivateInventoryItem(input: { id: $id }) {
              revision
            }
          }
        `,
        { id: inactiveId },
      );
    });

    const cases: Array<[string, string, (ids: { itemId: string; inactiveId: string }) => Record<string, unknown>, string]> = [
      [
        'a blank name',
        `mutation($v: CreateInventoryItemInput!) { createInventoryItem(input: $v) { revision } }`,
        () => ({ v: { sku: 'NEW-1', name: '  ' } }),
        'BAD_USER_INPUT',
      ],
      [
        'a name over 200 characters',
        `mutation($v: CreateInventoryItemInput!) { createInventoryItem(input: $v) { revision } }`,
        () => ({ v: { sku: 'NEW-1', name: 'x'.repeat(201) } }),
        'BAD_USER_INPUT',
      ],
      [
        'a malformed sku',
        `mutation($v: CreateInventoryItemInput!) { createInventoryItem(input: $v) { revision } }`,
        () => ({ v: { sku: 'no spaces', name: 'n' } }),
        'BAD_USER_INPUT',
      ],
      [
        'a negative price',
        `mutation($v: CreateInventoryItemInput!) { createInventoryItem(input: $v) { revision } }`,
        () => ({ v: { sku: 'NEW-1', name: 'n', unitPriceCents: -5 } }),
        'BAD_USER_INPUT',
      ],
      [
        'a duplicate sku (any case)',
        `mutation($v: CreateInventoryItemInput!) { createInventoryItem(input: $v) { revision } }`,
        () => ({ v: { sku: 'rej-1', name: 'Again' } }),
        'ALREADY_EXISTS',
      ],
      [
        'a zero count',
        `mutation($id: ID!) { checkInItems(input: { id: $id, count: 0 }) { revision } }`,
        (ids) => ({ id: ids.itemId }),
        'BAD_USER_INPUT',
      ],
      [
        'a negative count',
        `mutation($id: ID!) { checkInItems(input: { id: $id, count: -1 }) { revision } }`,
        (ids) => ({ id: ids.itemId }),
        'BAD_USER_INPUT',
      ],
      [
        'a count of the wrong type',
        `mutation($id: ID!, $n: Int!) { checkInItems(input: { id: $id, count: $n }) { revision } }`,
        (ids) => ({ id: ids.itemId, n: 'ten' }),
        'BAD_USER_INPUT',
      ],
      [
        'a missing required field',
        `mutation($id: ID!) { checkInItems(input: { id: $id }) { revision } }`,
        (ids) => ({ id: ids.itemId }),
        'GRAPHQL_VALIDATION_FAILED',
      ],
      [
        'removing more than in stock',
        `mutation($id: ID!) { removeItems(input: { id: $id, count: 3 }) { revision } }`,
        (ids) => ({ id: ids.itemId }),
        'INSUFFICIENT_STOCK',
      ],
      [
        'an unknown item',
        `mutation { checkInItems(input: { id: "00000000-0000-4000-8000-000000000000", count: 1 }) { revision } }`,
        () => ({}),
        'NOT_FOUND',
      ],
      ['a malformed id', `mutation { renameInventoryItem(input: { id: "../../etc", name: "x" }) { revision } }`, () => ({}), 'NOT_FOUND'],
      [
        'a deactivated item',
        `mutation($id: ID!) { checkInItems(input: { id: $id, count: 1 }) { revision } }`,
        (ids) => ({ id: ids.inactiveId }),
        'ITEM_INACTIVE',
      ],
      [
        'deactivating twice',
        `mutation($id: ID!) { deactivateInventoryItem(input: { id: $id }) { revision } }`,
        (ids) => ({ id: ids.inactiveId }),
        'ITEM_INACTIVE',
      ],
      [
        'a stale expectedVersion',
        `mutation($id: ID!) { checkInItems(input: { id: $id, count: 1, expectedVersion: 0 }) { revision } }`,
        (ids) => ({ id: ids.itemId }),
        'CONFLICT',
      ],
      [
        'an oversized idempotency key',
        `mutation($id: ID!, $k: String) { checkInItems(input: { id: $id, count: 1, idempotencyKey: $k }) { revision } }`,
        (ids) => ({ id: ids.itemId, k: 'k'.repeat(201) }),
        'BAD_USER_INPUT',
      ],
    ];

    it.each(cases)('rejects %s', async (_name, mutation, variables, code) => {
      const before = await eventCount(store);
      const result = await graphql(gateway.url, mutation, variables({ itemId, inactiveId }));
      expect(result.errors?.[0]?.extensions?.code).toBe(code);
      expect(result.errors?.[0]?.message).toBeTruthy();
      expect(await eventCount(store)).toBe(before);
    });
  });

  it('masks unexpected errors and keeps serving', async () => {
    const { item } = await createItem(gateway.url, 'MASK-1');
    // A fault injected into the real store (a wrapper, not a mock): reads of this one stream fail unexpectedly.
    const readStream = store.readStream.bind(store);
    const spy = jest.spyOn(store, 'readStream').mockImplementation(async (name, options) => {
      if (name.endsWith(item.id)) throw new Error('disk on fire at /var/secret/path');
      return readStream(name, options);
    });
    try {
      const result = await checkInItems(gateway.url, item.id, 1);
      expect(result.errors?.[0]?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
      expect(JSON.stringify(result)).not.toMatch(/disk on fire|secret/);
    } finally {
      spy.mockRestore();
    }
    const again = await checkInItems(gateway.url, item.id, 1, 'item { quantityOnHand }');
    expect(again.data?.checkInItems.item.quantityOnHand).toBe(1);
  });

  it('rejects a subscription to an unknown item with NOT_FOUND', async () => {
    const client = wsClient(gateway.url);
    try {
      const subscription = client.iterate({ query: `subscription { inventoryItem(id: "00000000-0000-4000-8000-000000000000") { name } }` });
      const [result] = await take(subscription, 1);
      expect(result?.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    } catch (error) {
      // graphql-ws reports operation errors by rejecting the iterator with the error list.
      expect(JSON.stringify(error)).toContain('NOT_FOUND');
    } finally {
      await client.dispose();
    }
  });

  it('serves GraphiQL with its assets from the gateway itself, and health and readiness', async () => {
    const page = await fetch(gateway.url, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Event shop gateway');
    expect(html).not.toMatch(/unpkg\.com|jsdelivr|cdn\./);
    const base = gateway.url.replace('/graphql', '');
    expect((await fetch(`${base}/health`)).status).toBe(200);
    expect((await fetch(`${base}/ready`)).status).toBe(200);
  });

  it('ends open subscriptions cleanly on shutdown', async () => {
    const { item } = await createItem(gateway.url, 'BYE-1');
    const ws = wsClient(gateway.url);
    const sse = sseClient(gateway.url);
    const wsSubscription = ws.iterate({
      query: `subscription($id: ID!) { inventoryItem(id: $id) { version } }`,
      variables: { id: item.id },
    });
    const sseSubscription = sse.iterate({
      query: `subscription($id: ID!) { inventoryItem(id: $id) { version } }`,
      variables: { id: item.id },
    });
    expect(await take(wsSubscription, 1)).toHaveLength(1);
    expect(await take(sseSubscription, 1)).toHaveLength(1);
    await gateway.stop();
    const wsEnd = await wsSubscription.next().catch((error: unknown) => ({ done: true, error }));
    const sseEnd = await sseSubscription.next().catch((error: unknown) => ({ done: true, error }));
    expect(wsEnd.done).toBe(true);
    expect(sseEnd.done).toBe(true);
    await ws.dispose();
    sse.dispose();
  });
});
