/** A refused mutation's stable code, through `yoga.fetch` (API tier): each appends nothing. */
import { testAdminToken, tokenFor } from '../support/gatewayHarness';
import { startApiGateway, type ApiGateway } from './apiGateway';

describe('mutation error codes through yoga.fetch (API tier)', () => {
  let api: ApiGateway;
  let admin: string;
  let itemId: string;
  beforeAll(async () => {
    api = await startApiGateway();
    admin = await testAdminToken();
    const created = await api.graphql(
      `mutation { createInventoryItem(input: { sku: "API-1", name: "Api mug" }) { item { id } } }`,
      undefined,
      admin,
    );
    itemId = created.data?.createInventoryItem.item.id;
    await api.graphql(`mutation($id: ID!) { checkInItems(input: { id: $id, count: 2 }) { revision } }`, { id: itemId }, admin);
  });
  afterAll(() => api.stop());

  it('creates an item and answers with the written view (the success path these refusals are measured against)', async () => {
    const read = await api.graphql(`query($id: ID!) { inventoryItem(id: $id) { sku quantityOnHand version } }`, { id: itemId }, null);
    expect(read.data?.inventoryItem).toEqual({ sku: 'API-1', quantityOnHand: 2, version: 1 });
  });

  const cases: Array<[string, string, () => Record<string, unknown>, 'admin' | 'customer', string]> = [
    [
      'a duplicate sku',
      `mutation { createInventoryItem(input: { sku: "api-1", name: "Again" }) { revision } }`,
      () => ({}),
      'admin',
      'ALREADY_EXISTS',
    ],
    [
      'a blank name',
      `mutation { createInventoryItem(input: { sku: "API-2", name: " " }) { revision } }`,
      () => ({}),
      'admin',
      'BAD_USER_INPUT',
    ],
    [
      'removing more than in stock',
      `mutation($id: ID!) { removeItems(input: { id: $id, count: 3 }) { revision } }`,
      () => ({ id: itemId }),
      'admin',
      'INSUFFICIENT_STOCK',
    ],
    [
      'a stale expectedVersion',
      `mutation($id: ID!) { checkInItems(input: { id: $id, count: 1, expectedVersion: 0 }) { revision } }`,
      () => ({ id: itemId }),
      'admin',
      'CONFLICT',
    ],
    [
      'cancelling an order that does not exist',
      `mutation { cancelOrder(input: { id: "00000000-0000-4000-8000-000000000000", reason: "x" }) { revision } }`,
      () => ({}),
      'customer',
      'NOT_FOUND',
    ],
    [
      'a missing required field',
      `mutation($id: ID!) { checkInItems(input: { id: $id }) { revision } }`,
      () => ({ id: itemId }),
      'admin',
      'GRAPHQL_VALIDATION_FAILED',
    ],
  ];
  it.each(cases)('refuses %s with its code and appends nothing', async (_name, query, variables, role, code) => {
    const token = role === 'admin' ? admin : await tokenFor('customer', 'api-customer');
    const before = (await api.app.store.readAll()).length;
    const response = await api.graphql(query, variables(), token);
    expect(response.errors?.map((error) => error.extensions?.code)).toEqual([code]);
    expect((await api.app.store.readAll()).length).toBe(before);
  });
});
