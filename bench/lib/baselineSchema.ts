/**
 * The schema the baseline servers (bare yoga, mercurius) serve: the gateway's own SDL (schema/),
 * cut down to the root fields the scenarios use and the types those reach, so every type, field
 * and argument the scenarios touch is the gateway's, by construction.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildASTSchema, GraphQLObjectType, GraphQLSchema, parse, printSchema } from 'graphql';
import { REPO_ROOT } from './child';

function gatewaySchema(): GraphQLSchema {
  const dir = join(REPO_ROOT, 'schema');
  const files = readdirSync(dir)
    .filter((file) => file.endsWith('.graphql'))
    .sort();
  return buildASTSchema(parse(files.map((file) => readFileSync(join(dir, file), 'utf8')).join('\n')));
}

/** A root type with only `names` of its fields. */
function rootWith(root: GraphQLObjectType | null | undefined, names: readonly string[]): GraphQLObjectType {
  if (!root) throw new Error('the gateway schema has no such root type');
  const config = root.toConfig();
  const fields = names.map((name) => {
    const field = config.fields[name];
    if (!field) throw new Error(`the gateway schema has no ${root.name}.${name}`);
    return [name, field] as const;
  });
  return new GraphQLObjectType({ ...config, fields: Object.fromEntries(fields) });
}

const gateway = gatewaySchema();

/** A schema keeps only the types its root fields reach. */
export const BASELINE_SDL = printSchema(
  new GraphQLSchema({
    query: rootWith(gateway.getQueryType(), ['inventoryItems']),
    mutation: rootWith(gateway.getMutationType(), ['checkInItems']),
    subscription: rootWith(gateway.getSubscriptionType(), ['inventoryItemChanges']),
  }),
);

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
