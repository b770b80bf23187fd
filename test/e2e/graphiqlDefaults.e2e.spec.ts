/**
 * The newcomer's first minute: every operation in GraphiQL's default tab runs as it stands on the
 * demo data (no id to paste), over the same transports GraphiQL uses (HTTP, graphql-ws).
 */
import { parse, Kind } from 'graphql';
import type { Gateway } from '../../server/gateway';
import { GRAPHIQL_DEFAULT_TAB } from '../../server/graphiqlDefaults';
import { backends } from '../support/backends';
import { startTestGateway, take, testAdminToken, wsClient } from '../support/gatewayHarness';

const operations = parse(GRAPHIQL_DEFAULT_TAB).definitions.flatMap((definition) =>
  definition.kind === Kind.OPERATION_DEFINITION && definition.name
    ? [
        {
          name: definition.name.value,
          kind: definition.operation,
          live: (definition.directives ?? []).some((directive) => directive.name.value === 'live'),
        },
      ]
    : [],
);
// Live queries and subscriptions stream (over graphql-ws here, as GraphiQL runs them); the rest answer once over HTTP.
const streamed = operations.filter((operation) => operation.kind === 'subscription' || operation.live);

describe.each(backends)("GraphiQL's default tab on the demo data ($name store)", (backend) => {
  let gateway: Gateway;
  let dispose: () => Promise<void>;

  beforeAll(async () => {
    const created = await backend.create();
    dispose = created.dispose;
    gateway = await startTestGateway(created.store, { SEED_DEMO_DATA: 'true', PAYMENT_LATENCY_MS: '5' });
  });
  afterAll(async () => {
    await gateway.stop();
    await dispose();
  });

  it('has named operations of every kind', () => {
    expect(new Set(operations.map((operation) => operation.kind))).toEqual(new Set(['query', 'mutation', 'subscription']));
  });

  it.each(operations.filter((operation) => !streamed.includes(operation)))('runs $name without errors over HTTP', async ({ name }) => {
    const result = await fetchOperation(gateway.url, name);
    expect(result.errors).toBeUndefined();
    expect(result.data).toBeTruthy();
  });

  it.each(streamed)('streams $name over graphql-ws', async ({ name }) => {
    const client = wsClient(gateway.url);
    try {
      const iterator = client.iterate({ query: GRAPHIQL_DEFAULT_TAB, operationName: name });
      const pending = take(iterator, 1, 10_000);
      // Subscriptions without an initial value answer on the next change: make one.
      await new Promise((resolve) => setTimeout(resolve, 200));
      await fetchOperation(gateway.url, 'CheckIn');
      const [first] = await pending;
      expect(first?.errors).toBeUndefined();
      expect(first?.data).toBeTruthy();
      await iterator.return?.();
    } finally {
      await client.dispose();
    }
  });
});

async function fetchOperation(url: string, operationName: string): Promise<{ data?: unknown; errors?: unknown[] }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await testAdminToken()}` },
    body: JSON.stringify({ query: GRAPHIQL_DEFAULT_TAB, operationName }),
  });
  return (await response.json()) as { data?: unknown; errors?: unknown[] };
}
