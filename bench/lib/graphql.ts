/** A tiny GraphQL-over-HTTP client for setup and checks (never for the measured load). */
import { AUTH_HEADERS } from './auth';

export interface GraphQLResponse<Data = Record<string, unknown>> {
  readonly data?: Data | null;
  readonly errors?: ReadonlyArray<{ message: string; extensions?: Record<string, unknown> }>;
}

export async function gql<Data = Record<string, any>>(url: string, query: string, variables?: Record<string, unknown>): Promise<Data> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', ...AUTH_HEADERS },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as GraphQLResponse<Data>;
  if (body.errors?.length) throw new Error(`GraphQL errors from ${url}: ${JSON.stringify(body.errors)}`);
  if (!body.data) throw new Error(`no data from ${url} (HTTP ${response.status})`);
  return body.data;
}

export interface CatalogueItem {
  readonly sku: string;
  readonly name: string;
  readonly unitPriceCents: number;
  readonly stock: number;
}

/** The same deterministic catalogue for every server in a comparison. */
export function benchCatalogue(count: number): CatalogueItem[] {
  return Array.from({ length: count }, (_, i) => ({
    sku: `BENCH-${String(i + 1).padStart(5, '0')}`,
    name: `Bench item ${i + 1}`,
    unitPriceCents: 100 + ((i * 37) % 5000),
    stock: 1 + ((i * 13) % 50),
  }));
}

const CREATE = /* GraphQL */ `
  mutation Create($input: CreateInventoryItemInput!) {
    createInventoryItem(input: $input) {
      item {
        id
      }
    }
  }
`;
const CHECK_IN = /* GraphQL */ `
  mutation CheckIn($input: CheckInItemsInput!) {
    checkInItems(input: $input) {
      revision
    }
  }
`;

/** Seeds the gateway through its own mutations (create, then check in the stock); returns the ids in order. */
export async function seedGateway(url: string, catalogue: readonly CatalogueItem[], concurrency = 8): Promise<string[]> {
  const ids: string[] = new Array(catalogue.length);
  let next = 0;
  const worker = async () => {
    while (next < catalogue.length) {
      const index = next++;
      const item = catalogue[index]!;
      const created = await gql<{ createInventoryItem: { item: { id: string } } }>(url, CREATE, {
        input: { sku: item.sku, name: item.name, unitPriceCents: item.unitPriceCents, idempotencyKey: `bench/create/${item.sku}` },
      });
      const id = created.createInventoryItem.item.id;
      await gql(url, CHECK_IN, { input: { id, count: item.stock, idempotencyKey: `bench/stock/${item.sku}` } });
      ids[index] = id;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return ids;
}

/** The full catalogue as the gateway's read side shows it, in creation order. */
export async function readAllItems(url: string): Promise<Array<Record<string, unknown>>> {
  const items: Array<Record<string, unknown>> = [];
  let after: string | null = null;
  for (;;) {
    const page: {
      inventoryItems: { nodes: Array<Record<string, unknown>>; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
    } = await gql(
      url,
      `query($after: String) { inventoryItems(first: 100, after: $after) {
        nodes { id sku name unitPriceCents quantityOnHand quantityReserved quantityAvailable active version }
        pageInfo { hasNextPage endCursor } } }`,
      { after },
    );
    items.push(...page.inventoryItems.nodes);
    if (!page.inventoryItems.pageInfo.hasNextPage) return items;
    after = page.inventoryItems.pageInfo.endCursor;
  }
}
