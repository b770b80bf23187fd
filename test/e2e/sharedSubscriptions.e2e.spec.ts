/**
 * Subscribers of the same operation with the same variables and the same actor share one execution
 * (issue 13, item 2), on both event stores, over real sockets: each gets every change under its
 * own operation id, one leaving or its token expiring ends only its own, and nothing ever reaches a
 * subscriber outside its actor's scope.
 */
import WebSocket from 'ws';
import type { Gateway } from '../../server/gateway';
import { issueToken } from '../../server/tokens';
import { backends } from '../support/backends';
import { TEST_JWT_SECRET, createItem, graphql, startTestGateway, tokenFor } from '../support/gatewayHarness';
import { until } from '../support/appendedEvents';

interface Message {
  readonly id?: string;
  readonly type: string;
  readonly payload?: any;
}

interface RawSocket {
  readonly messages: Message[];
  readonly closed: Promise<{ code: number; reason: string }>;
  subscribe(id: string, query: string, variables?: Record<string, unknown>): void;
  complete(id: string): void;
  close(): void;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A graphql-transport-ws client that keeps every message as it came, ids included. */
async function openSocket(url: string, token: string | null): Promise<RawSocket> {
  const socket = new WebSocket(url.replace(/^http/, 'ws'), 'graphql-transport-ws');
  const messages: Message[] = [];
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  socket.on('message', (data) => messages.push(JSON.parse(String(data)) as Message));
  await new Promise((resolve) => socket.once('open', resolve));
  socket.send(JSON.stringify({ type: 'connection_init', payload: token === null ? {} : { authorization: `Bearer ${token}` } }));
  await until(() => messages.some((message) => message.type === 'connection_ack'), 'connection_ack');
  return {
    messages,
    closed,
    subscribe: (id, query, variables) => socket.send(JSON.stringify({ id, type: 'subscribe', payload: { query, variables } })),
    complete: (id) => socket.send(JSON.stringify({ id, type: 'complete' })),
    close: () => socket.close(),
  };
}

const nexts = (socket: RawSocket, id?: string) =>
  socket.messages.filter((message) => message.type === 'next' && (id === undefined || message.id === id));

const CHANGES = 'subscription Changes { inventoryItemChanges { eventType item { sku } } }';
const CUSTOMER_ORDERS = 'subscription ($customerId: ID!) { customerOrders(customerId: $customerId) { id customerId status } }';

describe.each(backends)('shared subscription executions ($name)', (backend) => {
  let gateway: Gateway;
  let dispose: () => Promise<void>;
  const sockets: RawSocket[] = [];

  const openSubscriptions = async () =>
    Number(/^graphql_subscriptions_open (\S+)$/m.exec(await (await fetch(gateway.url.replace('/graphql', '/metrics'))).text())?.[1]);

  async function open(token: string | null): Promise<RawSocket> {
    const socket = await openSocket(gateway.url, token);
    sockets.push(socket);
    return socket;
  }

  beforeEach(async () => {
    const created = await backend.create();
    dispose = created.dispose;
    gateway = await startTestGateway(created.store, { PAYMENT_LATENCY_MS: '5' });
  });
  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.close();
    await gateway.stop();
    await dispose();
  });

  it('sends every subscriber each change under its own id; one completing leaves the others subscribed', async () => {
    const [first, second, third] = [await open(null), await open(null), await open(null)];
    first.subscribe('1', CHANGES);
    second.subscribe('1', CHANGES);
    third.subscribe('other-id', CHANGES);
    await until(async () => (await openSubscriptions()) === 3, 'three open subscriptions');

    await createItem(gateway.url, 'SHARED-1');
    await until(() => [first, second, third].every((socket) => nexts(socket).length === 1), 'the first change everywhere');
    for (const [socket, id] of [
      [first, '1'],
      [second, '1'],
      [third, 'other-id'],
    ] as const)
      expect(nexts(socket)).toEqual([
        { id, type: 'next', payload: { data: { inventoryItemChanges: { eventType: 'InventoryItemCreated', item: { sku: 'SHARED-1' } } } } },
      ]);

    first.complete('1');
    await until(async () => (await openSubscriptions()) === 2, 'two open subscriptions');
    await createItem(gateway.url, 'SHARED-2');
    await until(() => nexts(second).length === 2 && nexts(third).length === 2, 'the second change for the others');
    expect(nexts(second)[1]!.payload.data.inventoryItemChanges.item.sku).toBe('SHARED-2');
    await sleep(200);
    expect(nexts(first)).toHaveLength(1);
  });

  it('never lets one customer’s subscription answer another customer with the same operation and variables', async () => {
    const item = (await createItem(gateway.url, 'SHARED-ORDERS', 'Shared orders', { unitPriceCents: 100 })).item.id as string;
    await graphql(gateway.url, `mutation { checkInItems(input: { id: "${item}", count: 10 }) { revision } }`);
    const alice = await open(await tokenFor('customer', 'alice'));
    const bob = await open(await tokenFor('customer', 'bob'));
    alice.subscribe('orders', CUSTOMER_ORDERS, { customerId: 'alice' });
    await until(async () => (await openSubscriptions()) === 1, 'alice subscribed');
    // The same document and variables from bob: refused for bob, not joined to alice's execution.
    bob.subscribe('orders', CUSTOMER_ORDERS, { customerId: 'alice' });
    await until(() => bob.messages.some((message) => message.id === 'orders' && message.type !== 'next'), 'bob’s answer');
    expect(JSON.stringify(bob.messages)).toContain('FORBIDDEN');
    // And the same document for his own orders runs apart from alice's.
    bob.subscribe('own', CUSTOMER_ORDERS, { customerId: 'bob' });
    await until(async () => (await openSubscriptions()) === 2, 'bob subscribed to his own orders');

    const place = async (customer: string) => {
      const placed = await graphql(
        gateway.url,
        `
          mutation ($input: PlaceOrderInput!) {
            placeOrder(input: $input) {
              order {
                id
              }
            }
          }
        `,
        { input: { customerId: customer, lines: [{ itemId: item, quantity: 1 }], paymentMethodToken: 'tok_visa' } },
        { authorization: `Bearer ${await tokenFor('customer', customer)}` },
      );
      return placed.data!.placeOrder.order.id as string;
    };
    const aliceOrder = await place('alice');
    const bobOrder = await place('bob');
    await until(
      () =>
        nexts(alice).some((message) => message.payload.data?.customerOrders.status === 'CONFIRMED') &&
        nexts(bob).some((message) => message.payload.data?.customerOrders.status === 'CONFIRMED'),
      'both orders confirmed',
    );

    const seenBy = (socket: RawSocket) => new Set(nexts(socket).map((message) => message.payload.data?.customerOrders?.id));
    expect(seenBy(alice)).toEqual(new Set([aliceOrder]));
    expect(nexts(bob).filter((message) => message.id === 'orders' && message.payload.data)).toEqual([]);
    expect(seenBy(bob)).toEqual(new Set([bobOrder, undefined]));
    expect(nexts(bob, 'own').every((message) => message.payload.data.customerOrders.customerId === 'bob')).toBe(true);
  });

  it('closes each socket at its own token’s expiry; a sharer with a later expiry keeps receiving', async () => {
    const shortLived = await issueToken(TEST_JWT_SECRET, { role: 'admin', sub: 'shared-ops' }, { expiresIn: '2s' });
    const longLived = await tokenFor('admin', 'shared-ops');
    const expiring = await open(shortLived);
    const staying = await open(longLived);
    expiring.subscribe('changes', CHANGES);
    staying.subscribe('changes', CHANGES);
    await until(async () => (await openSubscriptions()) === 2, 'both subscribed');

    expect(await expiring.closed).toEqual({ code: 4440, reason: 'Token expired: reconnect with a fresh token' });
    await until(async () => (await openSubscriptions()) === 1, 'the expired one gone');
    await createItem(gateway.url, 'SHARED-AFTER-EXPIRY');
    await until(() => nexts(staying).length === 1, 'the change after expiry');
    expect(nexts(expiring)).toHaveLength(0);
  });
});
