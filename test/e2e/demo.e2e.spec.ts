/** What a new user sees on first start: the demo catalogue and orders in several final states. */
import type { Gateway } from '../../server/gateway';
import { backends } from '../support/backends';
import { graphql, startTestGateway } from '../support/gatewayHarness';

describe.each(backends)('demo data ($name store)', (backend) => {
  it('seeds an empty store once, through the real command path', async () => {
    const { store, reopen, dispose } = await backend.create();
    let gateway: Gateway = await startTestGateway(store, { SEED_DEMO_DATA: 'true', PAYMENT_LATENCY_MS: '5' });
    try {
      const deadline = Date.now() + 15_000;
      while (
        (
          await graphql(
            gateway.url,
            `
              {
                orders(status: [PLACED, STOCK_RESERVED]) {
                  totalCount
                }
              }
            `,
          )
        ).data?.orders.totalCount !== 0
      ) {
        if (Date.now() > deadline) throw new Error('demo orders never finished');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const result = await graphql(
        gateway.url,
        `
          {
            inventoryItems(first: 50) {
              totalCount
            }
            orders(first: 10) {
              nodes {
                customerId
                status
              }
            }
          }
        `,
      );
      expect(result.data?.inventoryItems.totalCount).toBe(7);
      expect(result.data?.orders.nodes.map((o: { status: string }) => o.status).sort()).toEqual([
        'CANCELLED',
        'CANCELLED',
        'CONFIRMED',
        'REJECTED',
        'SHIPPED',
      ]);
      await gateway.stop();
      gateway = await startTestGateway(await reopen(), { SEED_DEMO_DATA: 'true', PAYMENT_LATENCY_MS: '5' });
      const again = await graphql(
        gateway.url,
        `
          {
            inventoryItems(first: 50) {
              totalCount
            }
            orders {
              totalCount
            }
          }
        `,
      );
      expect(again.data).toEqual({ inventoryItems: { totalCount: 7 }, orders: { totalCount: 5 } });
    } finally {
      await gateway.stop();
      await dispose();
    }
  });
});
