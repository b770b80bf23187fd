/**
 * Crash safety: the real gateway in a child process is SIGKILLed in the middle of work and
 * started again on the same data. Nothing acknowledged is lost, nothing happens twice.
 */
import type { EventStore, RecordedEvent } from '../../eventStore/port';
import { backends } from '../support/backends';
import { spawnGatewayProcess, type GatewayProcess } from '../support/gatewayProcess';
import { createItem, graphql } from '../support/gatewayHarness';
import {
  checkInItems,
  inventoryItemReservations,
  inventoryItemStock,
  listedOrders,
  openOrderCount,
  placeOrder,
} from '../support/shopSetup';

jest.setTimeout(120_000);

describe.each(backends)('crash safety ($name store)', (backend) => {
  let store: EventStore;
  let dispose: () => Promise<void>;
  let env: Record<string, string>;
  let gateway: GatewayProcess | undefined;

  beforeEach(async () => {
    ({ store, dispose, env } = await backend.create());
  });
  afterEach(async () => {
    await gateway?.kill();
    await store.close();
    await dispose();
  });

  it('loses no acknowledged mutation and applies none twice when killed under concurrent load', async () => {
    gateway = await spawnGatewayProcess(env);
    const { item } = await createItem(gateway.url, 'CRASH-LOAD');
    const acknowledged = new Map<number, number>();
    let killed = false;
    const send = (url: string, n: number) =>
      graphql(
        url,
        `
          mutation ($id: ID!, $key: String!) {
            checkInItems(input: { id: $id, count: 1, idempotencyKey: $key }) {
              revision
              replayed
            }
          }
        `,
        {
          id: item.id,
          key: `load-${n}`,
        },
      );
    const total = 200;
    let next = 0;
    const worker = async () => {
      while (next < total && !killed) {
        const n = next++;
        try {
          const result = await send(gateway!.url, n);
          if (result.data) acknowledged.set(n, result.data.checkInItems.revision as number);
        } catch {
          // The connection died with the process: not acknowledged.
        }
        if (acknowledged.size >= 80 && !killed) {
          killed = true;
          await gateway!.kill('SIGKILL');
        }
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    expect(killed).toBe(true);

    gateway = await spawnGatewayProcess(env);
    // The client retries everything it has no acknowledgement for, with the same keys.
    for (let n = 0; n < total; n += 1) {
      if (acknowledged.has(n)) continue;
      const result = await send(gateway.url, n);
      expect(result.errors).toBeUndefined();
    }
    // Acknowledged ones replay with their original revision.
    for (const [n, revision] of [...acknowledged].slice(0, 10)) {
      const result = await send(gateway.url, n);
      expect(result.data?.checkInItems).toEqual({ revision, replayed: true });
    }
    const after = await inventoryItemStock(gateway.url, item.id);
    expect(after.data?.inventoryItem).toEqual({ quantityOnHand: total, version: total });
    const events = await store.readStream(`inventoryItem-${item.id}`);
    expect(events.filter((e) => e.type === 'ItemsCheckedIn')).toHaveLength(total);
    const revisionsByCommand = new Map(events.map((e) => [e.metadata.commandId, e.revision]));
    expect(revisionsByCommand.size).toBe(events.length);
  });

  it('finishes every order exactly once after being killed in the middle of fulfilment', async () => {
    gateway = await spawnGatewayProcess({ ...env, PAYMENT_LATENCY_MS: '40' });
    const stock = [6, 4, 8];
    const itemIds: string[] = [];
    for (const [i, count] of stock.entries()) {
      const { item } = await createItem(gateway.url, `CRASH-${i}`, `Crash ${i}`, { unitPriceCents: 500 });
      await checkInItems(gateway.url, item.id, count);
      itemIds.push(item.id as string);
    }
    const placed = await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        placeOrder(gateway!.url, {
          customerId: `crash-customer-${i % 4}`,
          paymentMethodToken: i % 7 === 0 ? 'tok_declined' : 'tok_visa',
          lines: [
            { itemId: itemIds[i % 3], quantity: 1 + (i % 2) },
            ...(i % 5 === 0 ? [{ itemId: itemIds[(i + 1) % 3], quantity: 1 }] : []),
          ],
          idempotencyKey: `crash-order-${i}`,
        }),
      ),
    );
    const orderIds = placed.map((p) => p.data!.placeOrder.order.id as string);
    await new Promise((resolve) => setTimeout(resolve, 150));
    const midway = await openOrderCount(gateway.url);
    await gateway.kill('SIGKILL');
    expect(midway).toBeGreaterThan(0);

    gateway = await spawnGatewayProcess({ ...env, PAYMENT_LATENCY_MS: '5' });
    const deadline = Date.now() + 60_000;
    let open: number | undefined = -1;
    while (open !== 0) {
      if (Date.now() > deadline) throw new Error(`${open} orders never finished`);
      await new Promise((resolve) => setTimeout(resolve, 100));
      open = await openOrderCount(gateway.url);
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    const orders = await listedOrders<{
      id: string;
      status: string;
      lines: Array<{ itemId: string; quantity: number }>;
      history: Array<{ step: string }>;
      payment: { status: string };
    }>(gateway.url, 'id status lines { itemId quantity } history { step } payment { status }');
    expect(orders.map((o) => o.id).sort()).toEqual([...orderIds].sort());
    for (const order of orders) {
      expect(['CONFIRMED', 'REJECTED', 'CANCELLED']).toContain(order.status);
      const steps = order.history.map((h) => h.step);
      expect(new Set(steps).size).toBe(steps.length);
      if (order.status === 'CONFIRMED') expect(order.payment.status).toBe('CAPTURED');
    }
    for (const [i, itemId] of itemIds.entries()) {
      const reservedByConfirmed = orders
        .filter((o) => o.status === 'CONFIRMED')
        .flatMap((o) => o.lines)
        .filter((l) => l.itemId === itemId)
        .reduce((sum, l) => sum + l.quantity, 0);
      const view = await inventoryItemReservations(gateway.url, itemId);
      expect(view).toEqual({
        quantityOnHand: stock[i],
        quantityReserved: reservedByConfirmed,
        quantityAvailable: stock[i]! - reservedByConfirmed,
      });
    }
    await gateway.kill('SIGTERM');
    gateway = undefined;

    const events: RecordedEvent[] = await store.readAll();
    const count = (predicate: (e: RecordedEvent) => boolean) => events.filter(predicate).length;
    for (const orderId of orderIds) {
      expect(count((e) => e.type === 'PaymentRequested' && e.data.orderId === orderId)).toBeLessThanOrEqual(1);
      expect(
        count((e) => (e.type === 'PaymentCaptured' || e.type === 'PaymentDeclined') && e.data.orderId === orderId),
      ).toBeLessThanOrEqual(1);
      for (const itemId of itemIds) {
        expect(count((e) => e.type === 'StockReserved' && e.data.orderId === orderId && e.data.itemId === itemId)).toBeLessThanOrEqual(1);
      }
    }
    const commandIds = events
      .filter((e) => e.metadata.commandId)
      .map((e) => `${e.streamName}/${String(e.metadata.commandId)}/${e.type}/${e.revision}`);
    expect(new Set(commandIds).size).toBe(commandIds.length);
  });
});
