/**
 * The SDL subset the baseline servers (bare yoga, mercurius) serve: the same types, fields and
 * argument shapes as schema/inventory.graphql for everything the scenarios touch.
 */
export const BASELINE_SDL = /* GraphQL */ `
  type PageInfo {
    hasNextPage: Boolean!
    hasPreviousPage: Boolean!
    startCursor: String
    endCursor: String
  }

  type InventoryItem {
    id: ID!
    sku: String!
    name: String!
    unitPriceCents: Int
    quantityOnHand: Int!
    quantityReserved: Int!
    quantityAvailable: Int!
    active: Boolean!
    version: Int!
  }

  type InventoryItemEdge {
    cursor: String!
    node: InventoryItem!
  }

  type InventoryItemConnection {
    edges: [InventoryItemEdge!]!
    nodes: [InventoryItem!]!
    pageInfo: PageInfo!
    totalCount: Int!
  }

  input CheckInItemsInput {
    id: ID!
    count: Int!
    expectedVersion: Int
    idempotencyKey: String
  }

  type InventoryItemPayload {
    item: InventoryItem!
    revision: Int!
    position: String
    replayed: Boolean!
  }

  type InventoryItemChange {
    eventType: String!
    position: String!
    item: InventoryItem!
  }

  type Query {
    inventoryItems(first: Int, after: String, last: Int, before: String): InventoryItemConnection!
  }

  type Mutation {
    checkInItems(input: CheckInItemsInput!): InventoryItemPayload!
  }

  type Subscription {
    inventoryItemChanges: InventoryItemChange!
  }
`;

export interface BaselineItem {
  id: string;
  sku: string;
  name: string;
  unitPriceCents: number | null;
  quantityOnHand: number;
  quantityReserved: number;
  quantityAvailable: number;
  active: boolean;
  version: number;
}

/** The in-memory data behind both baselines: a plain array, sliced per page. */
export class BaselineData {
  private readonly byId: Map<string, BaselineItem>;
  private position = 0;

  constructor(readonly items: BaselineItem[]) {
    this.byId = new Map(items.map((item) => [item.id, item]));
  }

  page(first: number | null | undefined) {
    const count = first ?? 20;
    const nodes = this.items.slice(0, count);
    return {
      nodes,
      edges: nodes.map((node) => ({ cursor: node.id, node })),
      pageInfo: {
        hasNextPage: count < this.items.length,
        hasPreviousPage: false,
        startCursor: nodes[0]?.id ?? null,
        endCursor: nodes[nodes.length - 1]?.id ?? null,
      },
      totalCount: this.items.length,
    };
  }

  checkIn(id: string, count: number) {
    const current = this.byId.get(id);
    if (!current) throw new Error(`Inventory item ${id} not found`);
    const item: BaselineItem = {
      ...current,
      quantityOnHand: current.quantityOnHand + count,
      quantityAvailable: current.quantityAvailable + count,
      version: current.version + 1,
    };
    this.byId.set(id, item);
    const index = this.items.findIndex((candidate) => candidate.id === id);
    this.items[index] = item;
    this.position += 1;
    return { item, revision: item.version, position: String(this.position), replayed: false };
  }
}
