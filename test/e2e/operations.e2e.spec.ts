/** Operations over real sockets: metrics, readiness, correlation ids in logs and events, dead letters, outages. */
import { randomUUID } from 'node:crypto';
import { SqliteEventStore } from '../../eventStore/embedded/sqliteEventStore';
import { createEsdbEventStore } from '../../eventStore/esdb/esdbEventStore';
import type { Gateway } from '../../server/gateway';
import { startEsdbTestServer } from '../support/esdbTestServer';
import WebSocket from 'ws';
import { createItem, graphql, startTestGateway, take, testAdminToken, wsClient } from '../support/gatewayHarness';
import { waitFor } from '../support/waitFor';
import {
  CONFIRMED_ORDER_EVENT_TYPES,
  checkInItems,
  customerOrderCount,
  inventoryItemStock,
  orderStatus,
  placeOrder,
  projectionFailures,
} from '../support/shopSetup';

const base = (gateway: Gateway) => gateway.url.replace('/graphql', '');

/** Orders one unit of the item for the customer, answering with the order's id. */
const placeOneUnit = (url: string, customerId: string, itemId: string, headers: Record<string, string> = {}) =>
  placeOrder(url, { customerId, paymentMethodToken: 'tok', lines: [{ itemId, quantity: 1 }] }, 'order { id }', headers);

describe('operations', () => {
  let store: SqliteEventStore;
  let gateway: Gateway;
  const logs: Array<Record<string, unknown>> = [];

  beforeEach(async () => {
    logs.length = 0;
    store = new SqliteEventStore({ filename: ':memory:' });
    gateway = await startTestGateway(store, { LOG_LEVEL: 'debug', PAYMENT_LATENCY_MS: '5' }, (line) =>
      logs.push(JSON.parse(line) as Record<string, unknown>),
    );
  });
  afterEach(() => gateway.stop());

  it('exposes Prometheus metrics for operations, commands, subscriptions and projection lag', async () => {
    const { item } = await createItem(gateway.url, 'OPS-MET');
    await graphql(
      gateway.url,
      `
        mutation CheckIn($id: ID!) {
          checkInItems(input: { id: $id, count: 1 }) {
            revision
          }
        }
      `,
      { id: item.id },
    );
    await graphql(gateway.url, `mutation { removeItems(input: { id: "${item.id}", count: 5 }) { revision } }`);
    const client = wsClient(gateway.url);
    const subscription = client.iterate({ query: `subscription { inventoryItemChanges { eventType } }` });
    const pending = take(subscription, 1);
    await waitFor(async () => (await (await fetch(`${base(gateway)}/metrics`)).text()).includes('graphql_subscriptions_open 1'));
    const text = await (await fetch(`${base(gateway)}/metrics`)).text();
    expect(text).toContain('graphql_operations_total{type="mutation",name="CheckIn",outcome="ok"} 1');
    expect(text).toContain('commands_total{command="CheckInItemsToInventory",outcome="appended"} 1');
    expect(text).toContain('commands_total{command="RemoveItemsFromInventory",outcome="INSUFFICIENT_STOCK"} 1');
    expect(text).toMatch(/graphql_operation_duration_seconds_bucket\{le="0\.1",type="mutation",name="CheckIn"\} 1/);
    expect(text).toContain('projection_lag_events 0');
    expect(text).toContain('projection_failures 0');
    expect(text).toContain('websocket_connections_open 1');
    await createItem(gateway.url, 'OPS-MET-2');
    await pending;
    await client.dispose();
  });

  it('carries the correlation id from the request to the command, its events, the fulfilment steps and the logs', async () => {
    const { item } = await createItem(gateway.url, 'OPS-CORR', 'Correlated', { unitPriceCents: 100 });
    await checkInItems(gateway.url, item.id, 3);
    const placed = await placeOneUnit(gateway.url, 'c', item.id, { 'x-correlation-id': 'flow-42' });
    const orderId = placed.data?.placeOrder.order.id as string;
    await waitFor(async () => (await orderStatus(gateway.url, orderId)) === 'CONFIRMED');
    const flow = (await store.readAll()).filter((event) => event.metadata.correlationId === 'flow-42').map((event) => event.type);
    expect(flow).toEqual(expect.arrayContaining([...CONFIRMED_ORDER_EVENT_TYPES]));
    expect(logs).toContainEqual(
      expect.objectContaining({ message: 'graphql operation', type: 'mutation', correlationId: 'flow-42', actor: 'admin:test-admin' }),
    );
    expect(logs).toContainEqual(
      expect.objectContaining({ message: 'command', command: 'ConfirmOrder', correlationId: 'flow-42', actor: 'process:orderFulfilment' }),
    );
  });

  it("carries a WebSocket's correlation id to its mutations' events: the upgrade request's header, or the connection params' over it", async () => {
    const { item } = await createItem(gateway.url, 'OPS-WS-CORR');
    /** Opens a socket with `header` on its upgrade request, runs one check-in over it, and closes it. */
    const checkInOverSocket = async (header: string, connectionParams: Record<string, string> = {}) => {
      const socket = new WebSocket(gateway.url.replace(/^http/, 'ws'), 'graphql-transport-ws', { headers: { 'x-correlation-id': header } });
      const messages: Array<{ type: string }> = [];
      socket.on('message', (data) => messages.push(JSON.parse(String(data)) as { type: string }));
      await new Promise((resolve) => socket.once('open', resolve));
      socket.send(
        JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${await testAdminToken()}`, ...connectionParams } }),
      );
      await waitFor(async () => messages.some((message) => message.type === 'connection_ack'));
      const query = `mutation { checkInItems(input: { id: "${item.id}", count: 1 }) { revision } }`;
      socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query } }));
      await waitFor(async () => messages.some((message) => message.type === 'complete'));
      socket.close();
    };
    await checkInOverSocket('ws-upgrade-7');
    await checkInOverSocket('ws-upgrade-8', { correlationId: 'ws-params-8' });
    const correlationIds = (await store.readStream(`inventoryItem-${item.id}`)).map((event) => event.metadata.correlationId);
    expect(correlationIds.slice(-2)).toEqual(['ws-upgrade-7', 'ws-params-8']);
  });

  it("parks the poison event's stream in the projections that read it, keeps everything else going, and resumes it when an admin skips it", async () => {
    const poisonOrder = randomUUID();
    await store.appendToStream(
      `order-${poisonOrder}`,
      [
        {
          id: randomUUID(),
          type: 'OrderPlaced',
          data: { orderId: poisonOrder, customerId: 'x', lines: 'not-a-list', totalCents: 1 },
          metadata: {},
        },
      ],
      { expectedRevision: 'no_stream' },
    );
    await waitFor(async () => (await projectionFailures(gateway.url)).length > 0);
    const failures = await projectionFailures(gateway.url);
    expect(failures).toContainEqual(
      expect.objectContaining({ projection: 'orderView', eventType: 'OrderPlaced', streamName: `order-${poisonOrder}`, attempts: 1 }),
    );
    expect(await (await fetch(`${base(gateway)}/metrics`)).text()).toMatch(/projection_failures [1-9]/);

    // The others go on: the catalogue still updates, and the server answers.
    const { item } = await createItem(gateway.url, 'OPS-POISON', 'After poison', { unitPriceCents: 100 });
    await checkInItems(gateway.url, item.id, 2, 'item { quantityOnHand }');
    const placed = await placeOneUnit(gateway.url, 'ok', item.id);
    // Only the poison event's own order is parked: another order is placed and read back at once.
    expect(placed.errors).toBeUndefined();

    const retried = await graphql(
      gateway.url,
      `
        mutation {
          retryProjectionFailure(projection: "orderView") {
            resumed
            failure {
              attempts
            }
          }
        }
      `,
    );
    expect(retried.data?.retryProjectionFailure).toEqual({ resumed: false, failure: { attempts: 2 } });
    for (const { projection } of failures) {
      const skipped = await graphql(
        gateway.url,
        `
          mutation ($p: String!) {
            skipProjectionFailure(projection: $p) {
              resumed
              failure {
                attempts
              }
            }
          }
        `,
        { p: projection },
      );
      expect(skipped.data?.skipProjectionFailure).toEqual({ resumed: true, failure: null });
    }
    expect(await projectionFailures(gateway.url)).toEqual([]);
    // What the order view missed while suspended is there now.
    expect(await customerOrderCount(gateway.url, 'ok')).toBe(1);
    const unknown = await graphql(
      gateway.url,
      `
        mutation {
          skipProjectionFailure(projection: "orderView") {
            resumed
          }
        }
      `,
    );
    expect(unknown.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });
});

describe('an instance without the process manager (PROCESS_MANAGER=false)', () => {
  it('records orders but leaves fulfilment to the instance that runs it', async () => {
    const store = new SqliteEventStore({ filename: ':memory:' });
    const gateway = await startTestGateway(store, { PROCESS_MANAGER: 'false' });
    try {
      const { item } = await createItem(gateway.url, 'OPS-NO-PM', 'No PM', { unitPriceCents: 100 });
      await checkInItems(gateway.url, item.id, 3);
      const placed = await placeOrder(
        gateway.url,
        { customerId: 'c', paymentMethodToken: 'tok', lines: [{ itemId: item.id, quantity: 1 }] },
        'order { id status }',
      );
      expect(placed.data?.placeOrder.order.status).toBe('PLACED');
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect((await store.readAll()).some((event) => event.type === 'StockReserved')).toBe(false);
    } finally {
      await gateway.stop();
    }
  });
});

describe('EventStoreDB outage (protocol test server stopped and restarted in-process)', () => {
  it('reports not ready and fails mutations fast while the store is down, then recovers with consistent projections', async () => {
    const server = await startEsdbTestServer({});
    const store = createEsdbEventStore(server.connectionString);
    const gateway = await startTestGateway(store);
    try {
      const { item } = await createItem(gateway.url, 'OPS-OUTAGE');
      await checkInItems(gateway.url, item.id, 5);
      expect((await fetch(`${base(gateway)}/ready`)).status).toBe(200);

      await server.stop();
      await waitFor(async () => (await fetch(`${base(gateway)}/ready`)).status !== 200);
      const started = Date.now();
      const failed = await checkInItems(gateway.url, item.id, 1);
      expect(failed.errors?.[0]?.extensions?.code).toBe('UNAVAILABLE');
      expect(Date.now() - started).toBeLessThan(12_000);
      expect((await inventoryItemStock(gateway.url, item.id)).data?.inventoryItem.quantityOnHand).toBe(5);

      await server.restart();
      await waitFor(async () => (await fetch(`${base(gateway)}/ready`)).status === 200, 20_000);
      const after = await checkInItems(gateway.url, item.id, 2, 'item { quantityOnHand version }');
      expect(after.data?.checkInItems.item).toEqual({ quantityOnHand: 7, version: 2 });

      // The projections equal a fresh replay of the store.
      const fresh = await startTestGateway(createEsdbEventStore(server.connectionString));
      try {
        const query = `{ inventoryItems { nodes { id quantityOnHand version } } }`;
        expect((await graphql(fresh.url, query)).data).toEqual((await graphql(gateway.url, query)).data);
      } finally {
        await fresh.stop();
      }
    } finally {
      await gateway.stop();
      await server.stop();
    }
  });
});
