/**
 * Dead letters per aggregate (issue 15): a bad event parks only its own sequence (its stream; an
 * order's payment steps share its order's) in each projection that reads it. Every other document
 * goes on updating, a writer to a healthy stream reads its own write (no READ_MODEL_LAG), the
 * dashboard counts only what its projection applied, and an admin sees what is parked behind the
 * bad event and retries or skips that one stream, after which the parked events apply in order.
 * The bad events are appended past the gateway (EventStoreDB: @eventstore/db-client; embedded:
 * the store's own API), on both backends.
 */
import { randomUUID } from 'node:crypto';
import type { EventStore } from '../../eventStore/port';
import type { Gateway } from '../../server/gateway';
import { backends } from '../support/backends';
import { foreignWriter, type ForeignAppend } from '../support/foreignWriter';
import { createItem, graphql, startTestGateway } from '../support/gatewayHarness';
import { waitForValue } from '../support/waitFor';
import { checkInItems, customerOrderCount } from '../support/shopSetup';
import { waitForReadSide } from '../support/readSideCheckpoint';

interface Failure {
  projection: string;
  sequence: string;
  streamName: string;
  eventType: string;
  error: string;
  attempts: number;
  parkedCount: number;
  parkedEvents: Array<{ type: string; revision: number; streamName: string }>;
}

const FAILURES = `{ projectionFailures { projection sequence streamName eventType error attempts parkedCount parkedEvents { type revision streamName } } }`;

const DASHBOARD_COUNTS = `
  {
    dashboard {
      ordersPlaced
      ordersByStatus {
        status
        count
      }
    }
  }
`;

describe.each(backends)('dead letters per aggregate ($name store)', (backend) => {
  let gateway: Gateway;
  let store: EventStore;
  let dispose: () => Promise<void>;
  let foreign: ForeignAppend;
  let itemId: string;

  beforeEach(async () => {
    let env: Record<string, string>;
    ({ store, dispose, env } = await backend.create());
    foreign = foreignWriter(store, env);
    // Orders stay PLACED (no fulfilment): what the read side shows is what these tests wrote.
    gateway = await startTestGateway(store, { PROCESS_MANAGER: 'false' });
    itemId = (await createItem(gateway.url, 'DL-ITEM', 'Dead-letter item', { unitPriceCents: 250 })).item.id as string;
    await checkInItems(gateway.url, itemId, 50);
  });
  afterEach(async () => {
    await gateway.stop();
    await dispose();
  });

  const failures = async (): Promise<Failure[]> => (await graphql(gateway.url, FAILURES)).data?.projectionFailures as Failure[];
  const failuresOf = async (streamName: string, count: number): Promise<Failure[]> =>
    waitForValue(async () => {
      const parked = (await failures()).filter((failure) => failure.sequence === streamName);
      return parked.length >= count ? parked : undefined;
    });
  const placeOrder = (customerId: string) =>
    graphql(
      gateway.url,
      `
        mutation ($c: ID!, $id: ID!) {
          placeOrder(input: { customerId: $c, paymentMethodToken: "tok_visa", lines: [{ itemId: $id, quantity: 1 }] }) {
            order {
              id
              customerId
              status
            }
          }
        }
      `,
      { c: customerId, id: itemId },
    );
  /** Retries or skips the stream's parked failure in the projection: whether the projection resumed, and what stays parked. */
  const recoverFailure = async (action: 'retry' | 'skip', projection: string, streamName: string) => {
    const mutation = `${action}ProjectionFailure`;
    const result = await graphql(
      gateway.url,
      `
        mutation ($p: String!, $s: String!) {
          ${mutation}(projection: $p, streamName: $s) {
            resumed
            failure {
              eventType
              attempts
              parkedCount
            }
          }
        }
      `,
      { p: projection, s: streamName },
    );
    return { recovery: result.data?.[mutation], errors: result.errors };
  };
  const line = () => ({ itemId, sku: 'DL-ITEM', name: 'Dead-letter item', quantity: 1, unitPriceCents: 250 });

  it('a bad OrderPlaced parks only its order: another customer places an order, reads it back at once, and the dashboard counts only that one', async () => {
    const badOrder = randomUUID();
    const badPosition = await foreign(`order-${badOrder}`, 'OrderPlaced', {
      orderId: badOrder,
      customerId: 'mallory',
      lines: 'not-a-list',
      totalCents: 1,
    });
    await waitForReadSide(gateway.url, badPosition);

    const placed = await placeOrder('dana');
    expect(placed.errors).toBeUndefined();
    expect(placed.data?.placeOrder.order).toMatchObject({ customerId: 'dana', status: 'PLACED' });
    const visible = await graphql(
      gateway.url,
      `
        {
          orders(customerId: "dana") {
            totalCount
            nodes {
              id
            }
          }
        }
      `,
    );
    expect(visible.data?.orders).toEqual({ totalCount: 1, nodes: [{ id: placed.data?.placeOrder.order.id }] });

    const dashboard = await graphql(gateway.url, DASHBOARD_COUNTS);
    expect(dashboard.data?.dashboard.ordersPlaced).toBe(1);
    expect(dashboard.data?.dashboard.ordersByStatus).toContainEqual({ status: 'PLACED', count: 1 });
    expect(await customerOrderCount(gateway.url, 'mallory')).toBe(0);

    const parked = await failuresOf(`order-${badOrder}`, 2);
    expect(parked.map((failure) => failure.projection).sort()).toEqual(['orderView', 'shopDashboard']);
    for (const failure of parked) expect(failure.error).toMatch(/OrderPlaced does not match its schema \(.*lines: /);
  });

  it('holds the events behind a bad one in order, shows them to the admin, and applies them in order when that stream is skipped', async () => {
    const orderId = randomUUID();
    const streamName = `order-${orderId}`;
    await foreign(streamName, 'OrderPlaced', { orderId, customerId: 'erin', paymentMethodToken: 'tok', lines: [line()], totalCents: 250 });
    await foreign(streamName, 'OrderStockReserved', { orderId: 42 });
    await foreign(streamName, 'OrderConfirmed', { orderId });
    await foreign(streamName, 'OrderShipped', { orderId });
    // A second bad stream, parked on its own.
    const otherBad = randomUUID();
    await foreign(`order-${otherBad}`, 'OrderShipped', { orderId: null });
    await foreign(`order-${otherBad}`, 'OrderTeleported', { orderId: otherBad });

    const [orderView] = (await failuresOf(streamName, 2)).filter((failure) => failure.projection === 'orderView');
    expect(orderView).toMatchObject({ streamName, eventType: 'OrderStockReserved', attempts: 1, parkedCount: 2 });
    expect(orderView!.error).toMatch(/orderId: /);
    expect(orderView!.parkedEvents).toEqual([
      { type: 'OrderConfirmed', revision: 2, streamName },
      { type: 'OrderShipped', revision: 3, streamName },
    ]);
    const order = `query($id: ID!) { order(id: $id) { status history { step } } }`;
    expect((await graphql(gateway.url, order, { id: orderId })).data?.order).toEqual({ status: 'PLACED', history: [{ step: 'PLACED' }] });

    // Meanwhile the projection goes on for everyone else.
    const placed = await placeOrder('frank');
    expect(placed.errors).toBeUndefined();

    // A retry cannot fix a malformed event: it fails again and stays parked with what is behind it.
    const retried = await recoverFailure('retry', 'orderView', streamName);
    expect(retried.recovery).toEqual({ resumed: false, failure: { eventType: 'OrderStockReserved', attempts: 2, parkedCount: 2 } });

    // Skipping that stream drops the bad event and applies the parked ones, in order; the other bad stream stays parked.
    const skipped = await recoverFailure('skip', 'orderView', streamName);
    expect(skipped.recovery).toEqual({ resumed: true, failure: null });
    expect((await graphql(gateway.url, order, { id: orderId })).data?.order).toEqual({
      status: 'SHIPPED',
      history: [{ step: 'PLACED' }, { step: 'CONFIRMED' }, { step: 'SHIPPED' }],
    });
    const left = await failures();
    expect(left.filter((failure) => failure.projection === 'orderView').map((failure) => failure.sequence)).toEqual([`order-${otherBad}`]);
    expect(left.find((failure) => failure.sequence === `order-${otherBad}` && failure.projection === 'orderView')).toMatchObject({
      eventType: 'OrderShipped',
      parkedCount: 1,
    });

    // The dashboard, skipped too, counts the order's steps in order once it has applied them.
    const dashboardSkip = await recoverFailure('skip', 'shopDashboard', streamName);
    expect(dashboardSkip.recovery).toEqual({ resumed: true, failure: null });
    const dashboard = await graphql(gateway.url, DASHBOARD_COUNTS);
    expect(dashboard.data?.dashboard.ordersPlaced).toBe(2);
    expect(dashboard.data?.dashboard.ordersByStatus).toEqual(
      expect.arrayContaining([
        { status: 'PLACED', count: 1 },
        { status: 'CONFIRMED', count: 0 },
        { status: 'SHIPPED', count: 1 },
      ]),
    );

    // Nothing to resolve for a healthy stream.
    const none = await recoverFailure('skip', 'orderView', streamName);
    expect(none.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });
});
