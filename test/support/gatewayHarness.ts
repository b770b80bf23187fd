/** Starts the real gateway on an ephemeral port and talks to it with real clients. */
import { createClient as createSseClient } from 'graphql-sse';
import { createClient as createWsClient, type Client as WsClient } from 'graphql-ws';
import WebSocket from 'ws';
import { loadConfig } from '../../server/config';
import { startGateway, type Gateway } from '../../server/gateway';
import type { EventStore } from '../../eventStore/port';

export interface GraphQLResponse<Data = Record<string, any>> {
  data?: Data | null;
  errors?: Array<{ message: string; path?: string[]; extensions?: Record<string, unknown> }>;
}

export async function startTestGateway(store: EventStore, env: Record<string, string> = {}): Promise<Gateway> {
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', SEED_DEMO_DATA: 'false', SHUTDOWN_GRACE_MS: '1000', ...env });
  return startGateway({ config, store });
}

export async function graphql<Data = Record<string, any>>(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<GraphQLResponse<Data>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as GraphQLResponse<Data>;
}

export function wsClient(url: string): WsClient {
  return createWsClient({ url: url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, retryAttempts: 0, lazy: true });
}

export function sseClient(url: string) {
  return createSseClient({ url, fetchFn: fetch, retryAttempts: 0 });
}

/** Takes `count` values from an async iterator, failing after `timeoutMs`. */
export async function take<T>(iterator: AsyncIterator<T>, count: number, timeoutMs = 10_000): Promise<T[]> {
  const values: T[] = [];
  const deadline = Date.now() + timeoutMs;
  while (values.length < count) {
    let timer: NodeJS.Timeout | undefined;
    const next = await Promise.race([
      iterator.next(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${values.length} of ${count} values`)), Math.max(1, deadline - Date.now()));
      }),
    ]).finally(() => clearTimeout(timer));
    if (next.done) break;
    values.push(next.value);
  }
  return values;
}

export async function eventCount(store: EventStore): Promise<number> {
  return (await store.readAll()).length;
}

export const ITEM_FIELDS = 'id sku name unitPriceCents quantityOnHand quantityReserved quantityAvailable active deactivationReason version createdAt updatedAt';

export async function createItem(url: string, sku: string, name = `Item ${sku}`, extra: Record<string, unknown> = {}) {
  const result = await graphql(
    url,
    `mutation($input: CreateInventoryItemInput!) { createInventoryItem(input: $input) { revision position replayed item { ${ITEM_FIELDS} } } }`,
    { input: { sku, name, ...extra } },
  );
  if (result.errors) throw new Error(JSON.stringify(result.errors));
  return result.data!.createInventoryItem as { revision: number; position: string; item: Record<string, any> };
}
