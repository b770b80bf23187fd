/**
 * A process manager that survives its instance. Orders are in flight when the instance whose process
 * manager acts (the holder of the `_lease-orderFulfilment` lease) is SIGKILLed:
 * - EventStoreDB (protocol test server in this process): two gateway processes run the process
 *   manager; the survivor takes over;
 * - embedded store: one process per DATA_DIR, so the replacement is a new process on the same
 *   directory (the lease of the dead one has to expire first).
 * Every order completes, with exactly one capture and one reservation per line, within the lease time
 * plus the usual fulfilment time. The measured failover time is printed.
 */
import { performance } from 'node:perf_hooks';
import { StreamNotFoundError } from '../../eventStore/errors';
import type { EventStore } from '../../eventStore/port';
import { leaseStreamName } from '../../application/lease';
import { backends, embeddedBackend } from '../support/backends';
import { spawnGatewayProcess, type GatewayProcess } from '../support/gatewayProcess';
import { createItem, graphql } from '../support/gatewayHarness';
import { checkInItems } from '../support/shopSetup';

jest.setTimeout(180_000);

const LEASE_MS = 2_000;
const ORDERS = 24;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function leaseHolderPid(store: EventStore): Promise<number | null> {
  try {
    const [latest] = await store.readStream(leaseStreamName('orderFulfilment'), { direction: 'backwards', maxCount: 1 });
    return latest?.type === 'LeaseHeld' && typeof latest.data.pid === 'number' ? latest.data.pid : null;
  } catch (error) {
    if (error instanceof StreamNotFoundError) return null;
    throw error;
  }
}

async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== null && value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await pause(25);
  }
}

describe.each(backends)('process-manager failover ($name store)', (backend) => {
  const twoInstances = backend !== embeddedBackend;
  let store: EventStore;
  let dispose: () => Promise<void>;
  let env: Record<string, string>;
  const processes: GatewayProcess[] = [];

  beforeEach(async () => {
    ({ store, dispose, env } = await backend.create());
  });
  afterEach(async () => {
    for (const gateway of processes.splice(0)) await gateway.kill();
    await store.close();
    await dispose();
  });

  const start = async () => {
    const gateway = await spawnGatewayProcess({
      ...env,
      PROCESS_MANAGER: 'true',
      PROCESS_MANAGER_LEASE_MS: String(LEASE_MS),
      PAYMENT_LATENCY_MS: '150',
    });
    processes.push(gateway);
    return gateway;
  };

  it('completes every order in flight, with one capture each, after the acting instance is killed', async () => {
    const first = await start();
    const second = twoInstances ? await start() : undefined;
    const holderPid = await waitFor('a lease holder', () => leaseHolderPid(store), 10_000);
    const acting = [first, second].find((gateway) => gateway?.child.pid === holderPid)!;
    expect(acting).toBeDefined();
    // Orders are taken through the instance that will survive, when there is one.
    const api = second === undefined ? first : acting === first ? second : first;

    const itemIds: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const { item } = await createItem(api.url, `FAILOVER-${i}`, `Failover ${i}`, { unitPriceCents: 250 });
      await checkInItems(api.url, item.id, 100);
      itemIds.push(item.id as string);
    }
    const startedAt = performance.now();
    const placeOrders = async (from: number, count: number) => {
      const placed = await Promise.all(
        Array.from({ length: count }, (_, offset) => {
          const i = from + offset;
          return graphql(
            api.url,
            `
              mutation ($input: PlaceOrderInput!) {
                placeOrder(input: $input) {
                  order {
                    id
                  }
                }
              }
            `,
            {
              input: {
                customerId: `failover-${i % 4}`,
                paymentMethodToken: 'tok_visa',
                lines: [{ itemId: itemIds[i % 3], quantity: 1 + (i % 2) }],
              },
            },
          );
        }),
      );
      return placed.map((result) => result.data!.placeOrder.order.id as string);
    };
    const confirmed = async (url: string) =>
      (
        await graphql(
          url,
          `
            {
              orders(first: 100, status: [CONFIRMED]) {
                totalCount
              }
            }
          `,
        )
      ).data?.orders.totalCount as number;
    // A first wave goes through while the acting instance is alive (the usual fulfilment time)...
    const orderIds = await placeOrders(0, 3);
    await waitFor('the first confirmations', async () => (await confirmed(api.url)) >= 3, 30_000);
    const usualFulfilmentMs = performance.now() - startedAt;
    // ...then the rest is acknowledged and the acting instance dies with them in flight (each needs a
    // 150 ms charge after its reservation: they cannot all be done when the kill comes).
    orderIds.push(...(await placeOrders(3, ORDERS - 3)));
    const beforeKill = await confirmed(api.url);

    const killedAt = performance.now();
    await acting.kill('SIGKILL');
    processes.splice(processes.indexOf(acting), 1);
    expect(beforeKill).toBeLessThan(ORDERS);
    const survivor = twoInstances ? api : await start();
    const survivorPid = survivor.child.pid;
    await waitFor('the survivor to take the lease', async () => (await leaseHolderPid(store)) === survivorPid, 30_000);
    const takenOverAt = performance.now();
    await waitFor('every order to be confirmed', async () => (await confirmed(survivor.url)) === ORDERS, 60_000);
    const completedAt = performance.now();

    const failoverMs = Math.round(takenOverAt - killedAt);
    const completionMs = Math.round(completedAt - killedAt);
    process.stdout.write(
      `failover (${backend.name}): lease ${LEASE_MS} ms, taken over ${failoverMs} ms after SIGKILL, ` +
        `all ${ORDERS} orders confirmed ${completionMs} ms after it (${beforeKill} were before it; time to the first 3 confirmations: ${Math.round(usualFulfilmentMs)} ms)\n`,
    );
    expect(completionMs).toBeLessThan(2 * LEASE_MS + 30_000);

    const events = await store.readAll();
    for (const orderId of orderIds) {
      const captures = events.filter((event) => event.type === 'PaymentCaptured' && event.streamName.endsWith(orderId));
      expect(captures).toHaveLength(1);
      const reservations = events.filter((event) => event.type === 'StockReserved' && event.data.orderId === orderId);
      expect(reservations).toHaveLength(1);
    }
    expect(new Set(events.map((event) => event.id)).size).toBe(events.length);
  });
});
