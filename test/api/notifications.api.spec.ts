/**
 * The notifications capability's access rules through `yoga.fetch` (no socket), on the real app with
 * its reactions running: a customer reads only their own messages, an admin may name any customer,
 * only an admin sees delivery failures, and an anonymous caller is refused every field.
 */
import { testAdminToken, tokenFor } from '../support/gatewayHarness';
import { startApiGateway, type ApiGateway } from './apiGateway';

const MY_MESSAGES =
  'query ($customerId: ID) { notifications(customerId: $customerId, first: 10) { totalCount nodes { customerId orderId kind } } }';
const DELIVERY_FAILURES = 'query { notificationDeliveryFailures { totalCount } }';

describe('notifications access rules, through yoga.fetch (API tier)', () => {
  let api: ApiGateway;
  let admin: string;
  let alice: string;
  let bob: string;
  let alicesOrder: string;
  let bobsOrder: string;

  async function placeOrder(token: string, itemId: string): Promise<string> {
    const placed = await api.graphql(
      'mutation ($input: PlaceOrderInput!) { placeOrder(input: $input) { order { id } } }',
      { input: { lines: [{ itemId, quantity: 1 }], paymentMethodToken: 'tok_visa' } },
      token,
    );
    if (placed.errors) throw new Error(JSON.stringify(placed.errors));
    return placed.data!.placeOrder.order.id as string;
  }

  async function messagesOnceConfirmed(token: string): Promise<any> {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const read = await api.graphql(MY_MESSAGES, {}, token);
      if (read.data?.notifications.totalCount > 0) return read;
      if (Date.now() > deadline) throw new Error(`no message arrived: ${JSON.stringify(read)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  beforeAll(async () => {
    api = await startApiGateway({ withReactions: true });
    admin = await testAdminToken();
    alice = await tokenFor('customer', 'api-alice');
    bob = await tokenFor('customer', 'api-bob');
    const created = await api.graphql(
      'mutation { createInventoryItem(input: { sku: "API-NOTE-1", name: "Mug", unitPriceCents: 900 }) { item { id } } }',
      {},
      admin,
    );
    if (created.errors) throw new Error(JSON.stringify(created.errors));
    const itemId = created.data!.createInventoryItem.item.id as string;
    const stocked = await api.graphql(
      'mutation ($id: ID!) { checkInItems(input: { id: $id, count: 5 }) { revision } }',
      { id: itemId },
      admin,
    );
    if (stocked.errors) throw new Error(JSON.stringify(stocked.errors));
    alicesOrder = await placeOrder(alice, itemId);
    bobsOrder = await placeOrder(bob, itemId);
  });
  afterAll(() => api.stop());

  it("gives a customer their own messages and none of another customer's", async () => {
    const mine = await messagesOnceConfirmed(alice);
    expect(mine.errors).toBeUndefined();
    expect(mine.data.notifications.nodes).toEqual([{ customerId: 'api-alice', orderId: alicesOrder, kind: 'ORDER_CONFIRMED' }]);
    const bobs = await messagesOnceConfirmed(bob);
    expect(bobs.data.notifications.nodes).toEqual([{ customerId: 'api-bob', orderId: bobsOrder, kind: 'ORDER_CONFIRMED' }]);
  });

  it('refuses a customer who names another customer, and lets the admin name any', async () => {
    await messagesOnceConfirmed(bob);
    const prying = await api.graphql(MY_MESSAGES, { customerId: 'api-bob' }, alice);
    expect(prying.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(prying.data ?? null).toBeNull();
    const asAdmin = await api.graphql(MY_MESSAGES, { customerId: 'api-bob' }, admin);
    expect(asAdmin.errors).toBeUndefined();
    expect(asAdmin.data!.notifications.nodes).toEqual([{ customerId: 'api-bob', orderId: bobsOrder, kind: 'ORDER_CONFIRMED' }]);
  });

  it('shows delivery failures to the admin only', async () => {
    const asAdmin = await api.graphql(DELIVERY_FAILURES, {}, admin);
    expect(asAdmin.errors).toBeUndefined();
    expect(asAdmin.data!.notificationDeliveryFailures.totalCount).toBe(0);
    const asCustomer = await api.graphql(DELIVERY_FAILURES, {}, alice);
    expect(asCustomer.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('refuses an anonymous caller every notifications field', async () => {
    for (const query of [MY_MESSAGES, DELIVERY_FAILURES]) {
      const anonymous = await api.graphql(query, {}, null);
      expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    }
  });
});
