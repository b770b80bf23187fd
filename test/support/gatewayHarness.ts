/** Starts the real gateway on an ephemeral port and talks to it with real clients. */
import { createClient as createSseClient } from 'graphql-sse';
import { createClient as createWsClient, type Client as WsClient } from 'graphql-ws';
import WebSocket from 'ws';
import { loadConfig } from '../../server/config';
import { startGateway, type Gateway } from '../../server/gateway';
import type { EventStore } from '../../eventStore/port';
import { issueToken, type TokenClaims } from '../../server/tokens';
import { waitFor } from './waitFor';

/** The shared secret every test gateway (in-process or child) is started with. */
export const TEST_JWT_SECRET = 'test-secret-for-the-e2e-suites-only';

export function tokenFor(role: TokenClaims['role'], sub: string): Promise<string> {
  return issueToken(TEST_JWT_SECRET, { role, sub });
}

let adminToken: Promise<string> | undefined;
/** Tests act as an admin unless they say otherwise. */
export const testAdminToken = (): Promise<string> => (adminToken ??= tokenFor('admin', 'test-admin'));

export interface GraphQLResponse<Data = Record<string, any>> {
  data?: Data | null;
  errors?: Array<{ message: string; path?: string[]; extensions?: Record<string, unknown> }>;
}

export async function startTestGateway(
  store: EventStore,
  env: Record<string, string> = {},
  log?: (line: string) => void,
): Promise<Gateway> {
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    SEED_DEMO_DATA: 'false',
    SHUTDOWN_GRACE_MS: '1000',
    JWT_SECRET: TEST_JWT_SECRET,
    MUTATIONS_PER_MINUTE: '100000',
    ...env,
  });
  return startGateway({ config, store, ...(log ? { log } : {}) });
}

export async function graphql<Data = Record<string, any>>(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<GraphQLResponse<Data>> {
  const authorization: Record<string, string> = 'authorization' in headers ? {} : { authorization: `Bearer ${await testAdminToken()}` };
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
      ...authorization,
      ...headers,
    },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as GraphQLResponse<Data>;
}

/** A graphql-ws client, signed in with `token` (default: the test admin; null: anonymous). */
export function wsClient(url: string, token?: string | null): WsClient {
  return createWsClient({
    url: url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy: true,
    connectionParams: async () => {
      const bearer = token === undefined ? await testAdminToken() : token;
      return bearer === null ? {} : { authorization: `Bearer ${bearer}` };
    },
  });
}

export function sseClient(url: string, token?: string | null) {
  return createSseClient({
    url,
    fetchFn: fetch,
    retryAttempts: 0,
    headers: async (): Promise<Record<string, string>> => {
      const bearer = token === undefined ? await testAdminToken() : token;
      const headers: Record<string, string> = bearer === null ? {} : { authorization: `Bearer ${bearer}` };
      return headers;
    },
  });
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
        timer = setTimeout(
          () => reject(new Error(`timed out after ${values.length} of ${count} values`)),
          Math.max(1, deadline - Date.now()),
        );
      }),
    ]).finally(() => clearTimeout(timer));
    if (next.done) break;
    values.push(next.value);
  }
  return values;
}

/**
 * How many shop events the store holds. Internal streams (`_`-prefixed: idempotency-key claims, the
 * simulated provider's ledger) are bookkeeping, not shop events, and are not counted.
 */
export async function eventCount(store: EventStore): Promise<number> {
  return (await store.readAll()).filter((event) => !event.streamName.startsWith('_')).length;
}

const MESSAGE_TRIGGERS = new Set(['OrderConfirmed', 'OrderCancelled', 'OrderShipped']);

/**
 * Waits until every order event that asks for a customer message (confirmed, cancelled, shipped) has
 * its message sent or given up. A test that counts events for "a refused request appended nothing"
 * waits for the fulfilment step it needs and then for this, or the notifications capability's own
 * events, appended a few milliseconds after the confirmation, are taken for the refused request's
 * (CI saw exactly that on 2026-12-01).
 */
export async function settled(store: EventStore): Promise<void> {
  await waitFor(async () => {
    const events = await store.readAll();
    const asked = events.filter((event) => MESSAGE_TRIGGERS.has(event.type)).length;
    const finished = events.filter((event) => event.type === 'NotificationSent' || event.type === 'NotificationGivenUp').length;
    return finished >= asked;
  });
}

export const ITEM_FIELDS =
  'id sku name unitPriceCents quantityOnHand quantityReserved quantityAvailable active deactivationReason version createdAt updatedAt';

export async function createItem(url: string, sku: string, name = `Item ${sku}`, extra: Record<string, unknown> = {}) {
  const result = await graphql(
    url,
    `mutation($input: CreateInventoryItemInput!) { createInventoryItem(input: $input) { revision position replayed item { ${ITEM_FIELDS} } } }`,
    { input: { sku, name, ...extra } },
  );
  if (result.errors) throw new Error(JSON.stringify(result.errors));
  return result.data!.createInventoryItem as { revision: number; position: string; item: Record<string, any> };
}
